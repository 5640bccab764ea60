<?php

declare(strict_types=1);

/*
 * The addon's classes for hosts without Composer (composer.json declares the
 * same mapping): the framework-neutral glue, then McpGuard\Statamic\.
 */
require_once dirname(__DIR__) . '/autoload.php';

spl_autoload_register(static function (string $class): void {
    $prefix = 'McpGuard\\Statamic\\';
    if (strncmp($class, $prefix, strlen($prefix)) === 0) {
        $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
