<?php

declare(strict_types=1);

// Every suite runs through the real built module: refuse to run without it.
if (!extension_loaded('mcp_guard')) {
    fwrite(STDERR, "mcp_guard is not loaded. Run the suites with scripts/test.sh, or:\n"
        . "  php -d extension=\$PWD/target/release/libmcp_guard.so /usr/bin/phpunit -c tests/php/phpunit.xml\n");
    exit(2);
}

require dirname(__DIR__, 2) . '/php/autoload.php';
require __DIR__ . '/Support/PhpProcess.php';

// Test support classes by name: McpGuard\Tests\Support\A\B → Support/A/B.php.
spl_autoload_register(static function (string $class): void {
    $prefix = 'McpGuard\\Tests\\Support\\';
    if (str_starts_with($class, $prefix)) {
        $file = __DIR__ . '/Support/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
