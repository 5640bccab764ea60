<?php

declare(strict_types=1);

/*
 * PSR-4 autoloader for the mcp_guard PHP glue, for hosts that do not use
 * Composer (composer.json declares the same mapping).
 *
 *   require '/path/to/mcp_guard/php/autoload.php';
 */
spl_autoload_register(static function (string $class): void {
    static $prefixes = [
        'McpGuard\\Server\\' => __DIR__ . '/Server/',
    ];
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
