<?php

/** PrestaShop's Context and Link (classes/Context.php, classes/Link.php): module links only. */
class Context
{
    private static ?Context $instance = null;
    public Link $link;

    public static function getContext()
    {
        return self::$instance ??= new self();
    }

    private function __construct()
    {
        $this->link = new Link();
    }
}

class Link
{
    /**
     * The front controller's URL: its moduleRoutes rule with friendly URLs
     * (PS_REWRITING_SETTINGS), else index.php?fc=module&….
     */
    public function getModuleLink($module, $controller = 'default', array $params = [], $ssl = null, $idLang = null, $idShop = null, $relativeProtocol = false)
    {
        $origin = Tools::getShopDomainSsl(true);
        $route = Dispatcher::routes()["module-{$module}-{$controller}"] ?? null;
        if (Configuration::get('PS_REWRITING_SETTINGS') && $route !== null) {
            $path = preg_replace_callback('/\{(\w+)\}/', static function (array $m) use (&$params): string {
                $v = (string) ($params[$m[1]] ?? '');
                unset($params[$m[1]]);
                return $v;
            }, $route['rule']);
            return $origin . '/' . $path . ($params ? '?' . http_build_query($params) : '');
        }
        return $origin . '/index.php?' . http_build_query(['fc' => 'module', 'module' => $module, 'controller' => $controller] + $params);
    }

    /** The shop's base URL with its trailing slash (a shop at the domain's root here). */
    public function getBaseLink($idShop = null, $ssl = null, $relativeProtocol = false)
    {
        return Tools::getShopDomainSsl(true) . '/';
    }

    public function getAdminLink($controller, $withToken = true, $sfRouteParams = [], $params = [])
    {
        return '/admin/' . $controller;
    }
}

/** PrestaShop's Dispatcher: the routes modules add through hookModuleRoutes. */
class Dispatcher
{
    public static function routes(): array
    {
        $routes = [];
        foreach (Hook::exec('moduleRoutes', [], null, true) as $moduleRoutes) {
            $routes += is_array($moduleRoutes) ? $moduleRoutes : [];
        }
        return $routes;
    }
}
