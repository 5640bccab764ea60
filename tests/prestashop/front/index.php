<?php

declare(strict_types=1);

/*
 * PrestaShop's front index.php and Dispatcher, for `php -S`: fc=module
 * requests (index.php?fc=module&module=M&controller=C), and with friendly
 * URLs (PS_REWRITING_SETTINGS) the paths of the modules' moduleRoutes,
 * dispatched to modules/M/controllers/front/C.php, class
 * <M><C>ModuleFrontController, run() as PrestaShop runs it.
 */
require dirname(__DIR__) . '/stubs/bootstrap.php';

$path = (string) parse_url((string) $_SERVER['REQUEST_URI'], PHP_URL_PATH);
if (($_GET['fc'] ?? '') !== 'module' && Configuration::get('PS_REWRITING_SETTINGS')) {
    foreach (Dispatcher::routes() as $route) {
        $regex = preg_replace_callback('/\\\\\{(\w+)\\\\\}/', static fn (array $m): string => '(?P<' . $m[1] . '>' . $route['keywords'][$m[1]]['regexp'] . ')',
            preg_quote($route['rule'], '#'));
        if (preg_match('#^/' . $regex . '$#D', $path, $m) === 1) {
            foreach ($route['keywords'] as $name => $k) {
                $_GET[$k['param']] = $m[$name];
            }
            $_GET += $route['params'];
            break;
        }
    }
}
$module = is_string($_GET['module'] ?? null) ? $_GET['module'] : '';
$controller = is_string($_GET['controller'] ?? null) ? $_GET['controller'] : '';
$file = _PS_MODULE_DIR_ . $module . '/controllers/front/' . $controller . '.php';
if (($_GET['fc'] ?? '') !== 'module' || preg_match('/^[a-z0-9_]+$/D', $module . $controller) !== 1 || !is_file($file) || !Module::isInstalled($module)) {
    http_response_code(404);
    echo "not found\n";
    return true;
}
require_once $file;
$class = ucfirst($module) . ucfirst($controller) . 'ModuleFrontController';
(new $class())->run();
return true;
