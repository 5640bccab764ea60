<?php

declare(strict_types=1);

// The PrestaShop suite: the stand-ins, the module's autoloader, and the shared test support (php -S servers, HTTP client).
if (!extension_loaded('mcp_guard')) {
    fwrite(STDERR, "mcp_guard is not loaded: run tests/prestashop/prestashop.sh\n");
    exit(2);
}
// Symfony's Console and HttpFoundation, which PrestaShop ships in its vendor/: Debian's here.
require_once '/usr/share/php/Symfony/Component/Console/autoload.php';
require_once '/usr/share/php/Symfony/Component/HttpFoundation/autoload.php';
require __DIR__ . '/stubs/bootstrap.php';
require dirname(__DIR__) . '/php/Support/PhpProcess.php';
require __DIR__ . '/modules/mcpguard/autoload.php';
spl_autoload_register(static function (string $class): void {
    foreach (['McpGuard\\Tests\\Support\\' => dirname(__DIR__) . '/php/Support/', 'McpGuard\\Tests\\PrestaShop\\' => __DIR__ . '/'] as $prefix => $dir) {
        if (str_starts_with($class, $prefix)) {
            $file = $dir . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
            if (is_file($file)) {
                require $file;
            }
        }
    }
});
