<?php

declare(strict_types=1);

namespace McpGuard\Tests\PrestaShop;

use McpGuard\PrestaShop\Controller\Admin\McpGuardController;
use PHPUnit\Framework\TestCase;

/**
 * Every back-office route reaches an action that carries PrestaShop's admin
 * security rule (the PrestaShop 8 annotation and the 9 attribute, the same
 * expression) on the tab the route names; pages that only show are `read`,
 * every POST needs create, update or delete; every tab of the module is the
 * `_legacy_controller` of a route.
 */
final class AdminSecurityTest extends TestCase
{
    /** @return array<string, array{path: string, methods: string, action: string, legacy: string}> */
    private static function routes(): array
    {
        $yml = (string) file_get_contents(dirname(__DIR__, 2) . '/php/prestashop/mcpguard/config/routes.yml');
        preg_match_all("/^(\w+):\n  path: (\S+)\n  methods: \[(\w+)\]\n  defaults: \{ _controller: '[^:]+::(\w+)', _legacy_controller: (\w+)/m", $yml, $m, PREG_SET_ORDER);
        $routes = [];
        foreach ($m as [, $name, $path, $methods, $action, $legacy]) {
            $routes[$name] = compact('path', 'methods', 'action', 'legacy');
        }
        self::assertCount(substr_count($yml, "_controller: '"), $routes, 'every route parsed');
        return $routes;
    }

    public function testEveryRouteIsAnActionWithTheRuleItsMethodNeeds(): void
    {
        $class = new \ReflectionClass(McpGuardController::class);
        $actions = array_values(array_filter(array_map(static fn (\ReflectionMethod $m): string => $m->getName(), $class->getMethods(\ReflectionMethod::IS_PUBLIC)),
            static fn (string $n): bool => str_ends_with($n, 'Action')));
        $routes = self::routes();
        self::assertEqualsCanonicalizing($actions, array_column($routes, 'action'), 'every action has a route and every route an action');
        foreach ($routes as $name => $r) {
            $method = $class->getMethod($r['action']);
            $attrs = $method->getAttributes(\PrestaShopBundle\Security\Attribute\AdminSecurity::class);
            self::assertCount(1, $attrs, $name);
            $rule = $attrs[0]->newInstance()->attribute;
            self::assertStringContainsString('@AdminSecurity("' . $rule . '")', (string) $method->getDocComment(), $name . ': the same rule for PrestaShop 8');
            self::assertMatchesRegularExpression("/^is_granted\\('(read|create|update|delete)', request\\.get\\('_legacy_controller'\\)\\)$/", $rule, $name);
            self::assertSame($r['methods'] === 'GET', str_contains($rule, "'read'"), $name . ': GET pages read, POSTs change');
        }
    }

    public function testEveryTabIsTheLegacyControllerOfARoute(): void
    {
        $routes = self::routes();
        $legacy = array_unique(array_column($routes, 'legacy'));
        $tabs = \Module::getInstanceByName('mcpguard')->tabs;
        self::assertSame('CONFIGURE', $tabs[0]['parent_class_name'], 'under Configure');
        foreach (array_slice($tabs, 1) as $tab) {
            self::assertContains($tab['class_name'], $legacy);
            self::assertSame('AdminMcpGuard', $tab['parent_class_name']);
            self::assertArrayHasKey($tab['route_name'], $routes);
        }
        self::assertEqualsCanonicalizing($legacy, array_column(array_slice($tabs, 1), 'class_name'));
    }
}
