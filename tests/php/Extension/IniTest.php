<?php

declare(strict_types=1);

namespace McpGuard\Tests\Extension;

use McpGuard\Tests\Support\PhpProcess;
use PHPUnit\Framework\TestCase;

/** INI settings need a fresh process each: they are PHP_INI_SYSTEM. */
final class IniTest extends TestCase
{
    private const PEPPER = 'ini-pepper-0123456789abcdefghijklmnopqrstuv';

    public function testDefaults(): void
    {
        self::assertSame('', ini_get('mcp_guard.token_pepper'));
        self::assertSame('365', ini_get('mcp_guard.max_token_lifetime_days'));
    }

    public function testSettingsCannotBeChangedByAScript(): void
    {
        self::assertFalse(ini_set('mcp_guard.token_pepper', self::PEPPER));
        self::assertFalse(ini_set('mcp_guard.max_token_lifetime_days', '0'));
        self::assertFalse((new \McpGuard\Tokens())->hasPepper());
    }

    public function testPepperFromIni(): void
    {
        $r = PhpProcess::run(
            '$t = new McpGuard\Tokens(); $i = $t->issue();'
            . 'echo json_encode([$t->hasPepper(), substr($i->hash(), -64) === hash_hmac("sha256", $i->plaintext(), ini_get("mcp_guard.token_pepper"))]);',
            ['mcp_guard.token_pepper' => self::PEPPER]
        );
        self::assertSame('[true,true]', $r['stdout'], $r['stderr']);
    }

    public function testAShortPepperInIniIsRefusedNotIgnored(): void
    {
        $r = PhpProcess::run(
            'try { new McpGuard\Tokens(); echo "accepted"; } catch (McpGuard\Exception\ConfigurationException $e) { echo $e->reason(); }',
            ['mcp_guard.token_pepper' => 'short']
        );
        self::assertSame('weak_pepper', $r['stdout'], $r['stderr']);
    }

    public function testMaximumLifetimeFromIni(): void
    {
        $code = '$t = new McpGuard\Tokens(); echo json_encode([$t->maxLifetimeSeconds(), $t->issue(null, 1000)->expiresAt()]);'
            . 'try { $t->issue(86401); echo " long-ok"; } catch (McpGuard\Exception\InvalidArgumentException $e) { echo " ", $e->reason(); }';
        $r = PhpProcess::run($code, ['mcp_guard.max_token_lifetime_days' => '1']);
        self::assertSame('[86400,87400] lifetime_exceeds_maximum', $r['stdout'], $r['stderr']);
        // 0 = no maximum: tokens without expiry are possible.
        $r = PhpProcess::run($code, ['mcp_guard.max_token_lifetime_days' => '0']);
        self::assertSame('[null,null] long-ok', $r['stdout'], $r['stderr']);
        // Garbage falls back to the 365-day default, never to "no maximum".
        foreach (['-5', 'lots', '99999999'] as $bad) {
            $r = PhpProcess::run('echo (new McpGuard\Tokens())->maxLifetimeSeconds();', ['mcp_guard.max_token_lifetime_days' => $bad]);
            self::assertSame((string) (365 * 86400), $r['stdout'], $bad);
        }
    }
}
