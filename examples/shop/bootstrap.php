<?php

declare(strict_types=1);

/*
 * The demo shop's autoloader: McpGuard\Server from the checkout's php/ (a
 * module would get it from Composer), the shop's own classes from src/.
 */

require dirname(__DIR__, 2) . '/php/autoload.php';

spl_autoload_register(static function (string $class): void {
    $prefix = 'McpGuard\\Examples\\Shop\\';
    if (str_starts_with($class, $prefix)) {
        $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
