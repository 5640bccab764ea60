<?php

declare(strict_types=1);

/*
 * The module's classes (McpGuard\PrestaShop\… under src/) and the mcp_guard
 * PHP glue (McpGuard\Server\…): shipped in lib/php/ by the module archive, or
 * found two levels up when the module runs from a checkout of mcp_guard.
 */
if (!class_exists(McpGuard\Server\Guard\Pipeline::class)) {
    require is_file(__DIR__ . '/lib/php/autoload.php') ? __DIR__ . '/lib/php/autoload.php' : dirname(__DIR__, 2) . '/autoload.php';
}
spl_autoload_register(static function (string $class): void {
    $prefix = 'McpGuard\\PrestaShop\\';
    if (str_starts_with($class, $prefix)) {
        $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
