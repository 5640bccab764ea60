<?php

declare(strict_types=1);

/*
 * The Statamic adapter's tests: Debian's Laravel 8.83 components, the addon,
 * the Statamic stand-ins (tests/statamic/stubs: never loaded by the main
 * tests/php suite), the test support classes, and tests/php/Support's
 * (php -S servers, HTTP client).
 */
require '/usr/share/php/Illuminate/autoload.php';
require dirname(__DIR__, 2) . '/php/statamic/autoload.php';

// MCPG_WITHOUT_STATAMIC=1: a Laravel app without Statamic (no stand-ins), as ProviderTest runs it.
$prefixes = ['McpGuard\\Tests\\Statamic\\' => __DIR__ . '/', 'McpGuard\\Tests\\Support\\' => dirname(__DIR__) . '/php/Support/'] + (getenv('MCPG_WITHOUT_STATAMIC') === '1' ? [] : ['Statamic\\' => __DIR__ . '/stubs/Statamic/']);
spl_autoload_register(static function (string $class) use ($prefixes): void {
    foreach ($prefixes as $prefix => $dir) {
        if (strncmp($class, $prefix, strlen($prefix)) === 0) {
            $file = $dir . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
            if (is_file($file)) {
                require $file;
            }
            return;
        }
    }
});
