<?php

declare(strict_types=1);

namespace McpGuard\Tests\PrestaShop;

use McpGuard\Policy;
use McpGuard\Tests\Support\PhpProcess;
use PHPUnit\Framework\TestCase;

/**
 * bin/manifest-from-attributes.php: tools declared with php-mcp/server's
 * McpTool attribute become manifest entries (class from the annotations,
 * MCP's cautious default when there are none; fields from the typed
 * parameters), and what it cannot map or the policy refuses fails the run.
 */
final class AttributeManifestTest extends TestCase
{
    /** @return array{status: int, stdout: string, stderr: string} */
    private static function generate(string $fixture): array
    {
        $cmd = [PHP_BINARY, '-d', 'extension=' . PhpProcess::modulePath(), dirname(__DIR__, 2) . '/php/prestashop/mcpguard/bin/manifest-from-attributes.php',
            '--bootstrap=' . __DIR__ . '/stubs/Attributes.php', __DIR__ . '/fixtures/' . $fixture];
        $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        $out = (string) stream_get_contents($pipes[1]);
        $err = (string) stream_get_contents($pipes[2]);
        return ['status' => proc_close($p), 'stdout' => $out, 'stderr' => $err];
    }

    public function testTheAttributesOfAModuleBecomeAManifestThePolicyCompiles(): void
    {
        $r = self::generate('CatalogTools.php');
        self::assertSame(0, $r['status'], $r['stderr']);
        $manifest = json_decode($r['stdout'], true, 32, JSON_THROW_ON_ERROR);
        self::assertSame(['deleteProduct', 'products.search', 'products.update', 'shop.info'], array_keys($manifest['tools']));
        self::assertSame(['class' => 'read', 'scopes' => ['read'], 'fields' => ['query' => ['type' => 'string', 'required' => true],
            'limit' => ['type' => 'integer']], 'description' => 'Finds products by name.'], $manifest['tools']['products.search']);
        self::assertSame(['class' => 'write', 'scopes' => ['write'], 'fields' => ['id' => ['type' => 'integer', 'required' => true],
            'name' => ['type' => 'string', 'nullable' => true], 'price' => ['type' => 'number']]], $manifest['tools']['products.update']);
        self::assertSame('destructive', $manifest['tools']['deleteProduct']['class'], 'no annotations: MCP says it may destroy');
        self::assertSame(['class' => 'read', 'scopes' => ['read']], $manifest['tools']['shop.info'], 'a class with __invoke');
        $policy = new Policy($manifest + ['writes_enabled' => true]);
        self::assertFalse($policy->authorize(['write'], 'deleteProduct', ['id' => 1])->allowed(), 'destructive tools stay disabled');
        self::assertFalse($policy->authorize(['write'], 'products.update', ['id' => 1, 'cost_price' => 1])->allowed(), 'only the parameters are fields');
        self::assertTrue($policy->authorize(['write'], 'products.update', ['id' => 1, 'price' => 2.5])->allowed());
    }

    public function testAParameterTypeItCannotMapFailsTheRun(): void
    {
        $r = self::generate('BadTools.php');
        self::assertSame(1, $r['status']);
        self::assertSame('', $r['stdout']);
        self::assertStringContainsString('$tags', $r['stderr']);
    }

    public function testAFieldThePolicyForbidsFailsTheRun(): void
    {
        $r = self::generate('ForbiddenTools.php');
        self::assertSame(1, $r['status']);
        self::assertSame('', $r['stdout']);
        self::assertStringContainsString('manifest_forbidden_field', $r['stderr']);
    }
}
