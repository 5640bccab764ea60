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
    }

    /** @return array{exit: int, stdout: string, stderr: string} */
    private static function withoutIniGet(string $code, array $ini): array
    {
        // Shared-hosting hardening: the settings must not depend on it.
        return PhpProcess::run($code, $ini + ['disable_functions' => 'ini_get,ini_get_all']);
    }

    public function testThePepperIsReadWhenIniGetIsDisabled(): void
    {
        $r = self::withoutIniGet(
            'echo json_encode([function_exists("ini_get"), ($t = new McpGuard\Tokens())->hasPepper(), substr($t->issue()->hash(), 0, 12)]);',
            ['mcp_guard.token_pepper' => self::PEPPER],
        );
        self::assertSame('[false,true,"hmac-sha256:"]', $r['stdout'], $r['stderr']);
    }

    public function testAShortPepperIsRefusedWhenIniGetIsDisabled(): void
    {
        $r = self::withoutIniGet(
            'try { new McpGuard\Tokens(); echo "accepted"; } catch (McpGuard\Exception\ConfigurationException $e) { echo $e->reason(); }',
            ['mcp_guard.token_pepper' => 'short'],
        );
        self::assertSame('weak_pepper', $r['stdout'], $r['stderr']);
    }

    public function testTheMaximumLifetimeIsEnforcedWhenIniGetIsDisabled(): void
    {
        $r = self::withoutIniGet(
            '$t = new McpGuard\Tokens(); echo $t->maxLifetimeSeconds();'
            . 'try { $t->issue(86401); echo " long-ok"; } catch (McpGuard\Exception\InvalidArgumentException $e) { echo " ", $e->reason(); }',
            ['mcp_guard.max_token_lifetime_days' => '1'],
        );
        self::assertSame('86400 lifetime_exceeds_maximum', $r['stdout'], $r['stderr']);
    }

    public function testAnUnparsableMaximumLifetimeIsAConfigurationErrorNotADefault(): void
    {
        $code = 'try { $t = new McpGuard\Tokens(); echo "accepted ", $t->maxLifetimeSeconds(); }'
            . ' catch (McpGuard\Exception\ConfigurationException $e) { echo $e->reason(); }';
        foreach (['-5', 'lots', '99999999', '36501', '1.5', '', ' '] as $bad) {
            $r = PhpProcess::run($code, ['mcp_guard.max_token_lifetime_days' => $bad]);
            self::assertSame('invalid_max_lifetime', $r['stdout'], var_export($bad, true) . ' ' . $r['stderr']);
        }
        // Even with a pepper passed in: the lifetime cap is still the INI one.
        $r = PhpProcess::run(
            'try { new McpGuard\Tokens(null, str_repeat("p", 32)); echo "accepted"; } catch (McpGuard\Exception\ConfigurationException $e) { echo $e->reason(); }',
            ['mcp_guard.max_token_lifetime_days' => 'lots'],
        );
        self::assertSame('invalid_max_lifetime', $r['stdout'], $r['stderr']);
        // The edges of the range are accepted.
        foreach (['36500' => (string) (36500 * 86400), ' 7 ' => (string) (7 * 86400)] as $ok => $secs) {
            $r = PhpProcess::run('echo (new McpGuard\Tokens())->maxLifetimeSeconds();', ['mcp_guard.max_token_lifetime_days' => (string) $ok]);
            self::assertSame($secs, $r['stdout'], $r['stderr']);
        }
    }

    public function testAPepperThatIsNotUtf8TextIsRefusedNotAltered(): void
    {
        // The engine's INI API hands values over as text: a binary pepper would
        // reach us altered, so it is refused (pass binary peppers to the
        // constructor instead).
        $r = self::withoutIniGet(
            'try { new McpGuard\Tokens(); echo "accepted"; } catch (McpGuard\Exception\ConfigurationException $e) { echo $e->reason(); }',
            ['mcp_guard.token_pepper' => "\xff\xfe" . str_repeat('p', 40)],
        );
        self::assertSame('setting_unreadable', $r['stdout'], $r['stderr']);
        $r = PhpProcess::run('echo (new McpGuard\Tokens(null, "\xff\xfe" . str_repeat("p", 40)))->hasPepper() ? "ok" : "no";');
        self::assertSame('ok', $r['stdout'], $r['stderr']);
    }

    public function testPhpinfoShowsThePepperAsSetWhenIniGetIsDisabled(): void
    {
        $r = self::withoutIniGet(
            'ob_start(); phpinfo(INFO_MODULES); $info = ob_get_clean();'
            . 'preg_match_all("/^mcp_guard\\.(?:token_pepper|max_token_lifetime_days) => (.*)$/m", $info, $m);'
            . 'echo json_encode($m[1]);',
            ['mcp_guard.token_pepper' => self::PEPPER, 'mcp_guard.max_token_lifetime_days' => '3'],
        );
        self::assertSame(json_encode(['set (' . strlen(self::PEPPER) . ' bytes, value hidden)', '3']), $r['stdout'], $r['stderr']);
        self::assertStringNotContainsString(self::PEPPER, $r['stdout']);
    }
}
