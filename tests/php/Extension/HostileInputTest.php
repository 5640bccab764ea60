<?php

declare(strict_types=1);

namespace McpGuard\Tests\Extension;

use McpGuard\Tests\Support\HostileInput;
use McpGuard\Tests\Support\PhpProcess;
use PHPUnit\Framework\TestCase;

require_once dirname(__DIR__) . '/Support/HostileInput.php';

/**
 * No input crashes the host process (issue 6): every PHP-visible method of the
 * module, found by reflection, is called with wrong types, null, empty and
 * 10 MiB strings, invalid UTF-8, NUL bytes, 10 000-level arrays,
 * self-referencing arrays and objects, huge ints, NaN and INF.
 *
 * Each call must return, or throw a GuardException (never with reason
 * internal_error, i.e. a caught Rust panic), or a TypeError /
 * ArgumentCountError / ValueError for a PHP type PHP itself refuses. The calls
 * run in fresh php processes (tests/php/Support/HostileInput.php): a segfault,
 * stack overflow or abort there shows as an exit status, not as a dead PHPUnit.
 */
final class HostileInputTest extends TestCase
{
    /**
     * Methods whose valid call is expected to throw: the result classes are
     * only made by the extension, `new` on them is refused.
     */
    private const NOT_CONSTRUCTIBLE = [
        'McpGuard\Credentials::__construct',
        'McpGuard\IssuedToken::__construct',
        'McpGuard\VerifiedToken::__construct',
        'McpGuard\Rotation::__construct',
        'McpGuard\Scopes::__construct',
        'McpGuard\Policy\Decision::__construct',
        'McpGuard\Jwt\KeySet::__construct',
        'McpGuard\Jwt\Signer::__construct',
        'McpGuard\OAuth\Pkce::__construct',
        'McpGuard\OAuth\ClientMetadata::__construct',
        'McpGuard\OAuth\AuthorizationResult::__construct',
        'McpGuard\OAuth\AuthorizationRequest::__construct',
        'McpGuard\OAuth\IssuedCode::__construct',
        'McpGuard\OAuth\TokenRequest::__construct',
        'McpGuard\OAuth\RevocationRequest::__construct',
        'McpGuard\Guard\Verdict::__construct',
        'McpGuard\Mcp\Envelope::__construct',
        'McpGuard\Mcp\Protocol::__construct',
        'McpGuard\Audit\Link::__construct',
        'McpGuard\IssuedConfirmation::__construct',
        'McpGuard\ConfirmationCheck::__construct',
        'McpGuard\Resource\OriginResult::__construct',
        'McpGuard\Resource\TransportResult::__construct',
        'McpGuard\Resource\Challenge::__construct',
    ];

    /**
     * ext-php-rs refuses `new` on a class without a PHP constructor with a
     * plain \Exception before any of our code runs: accepted for those
     * classes only (nothing of ours is reached, nothing can crash).
     */
    private static function isNotInstantiable(string $detail): bool
    {
        return $detail === 'Exception: You cannot instantiate this class from PHP.';
    }

    /** @return array<string, true> "Class::method" of every public method the module declares */
    private static function moduleMethods(): array
    {
        $out = [];
        foreach ((new \ReflectionExtension('mcp_guard'))->getClasses() as $class) {
            foreach ($class->getMethods(\ReflectionMethod::IS_PUBLIC) as $m) {
                if ($m->getDeclaringClass()->getName() !== $class->getName()) {
                    continue; // inherited: covered where it is declared
                }
                $out[$class->getName() . '::' . $m->getName()] = true;
            }
        }
        return $out;
    }

    /** @return array<string, true> */
    private static function coveredMethods(): array
    {
        $out = [];
        foreach (HostileInput::table() as $class => $methods) {
            foreach (array_keys($methods) as $m) {
                $out["$class::$m"] = true;
            }
        }
        return $out;
    }

    public function testEveryPublicMethodOfTheModuleHasAHostileInputEntry(): void
    {
        $missing = array_keys(array_diff_key(self::moduleMethods(), self::coveredMethods()));
        self::assertSame([], $missing, 'add these methods to HostileInput::table()');
    }

    public function testTheTableNamesNoMethodThatDoesNotExist(): void
    {
        $stale = array_keys(array_diff_key(self::coveredMethods(), self::moduleMethods()));
        self::assertSame([], $stale);
    }

    public function testTheModuleExportsNoFreeFunctionsOutsideTheTable(): void
    {
        // Free functions would need entries too; the module has none today.
        self::assertSame([], array_keys((new \ReflectionExtension('mcp_guard'))->getFunctions()));
    }

    public function testTheHostileValuesAreWhatTheyClaim(): void
    {
        $v = HostileInput::values();
        self::assertSame(HostileInput::HUGE, strlen($v['huge_string']));
        self::assertFalse(mb_check_encoding($v['invalid_utf8'], 'UTF-8'));
        $depth = 0;
        for ($a = $v['deep_array']; $a !== []; $a = $a[0]) {
            $depth++;
        }
        self::assertSame(HostileInput::DEPTH, $depth);
        self::assertTrue(is_nan($v['nan']));
        self::assertFalse(mb_check_encoding((string) array_key_first($v['non_utf8_key']), 'UTF-8'));
        self::assertSame(PHP_INT_MAX, $v['int_max']);
        self::assertSame($v['self_ref_object'], $v['self_ref_object']->self);
        // The self-referencing values are cycles: collect them now, or the
        // valgrind run (USE_ZEND_ALLOC=0, no GC at shutdown) reports them lost.
        unset($v);
        gc_collect_cycles();
    }

    /** @return iterable<string, array{string}> */
    public static function classes(): iterable
    {
        foreach (array_keys(HostileInput::table()) as $class) {
            yield $class => [$class];
        }
    }

    /** @dataProvider classes */
    public function testEveryMethodSurvivesHostileValues(string $class): void
    {
        $support = var_export(dirname(__DIR__) . '/Support/HostileInput.php', true);
        $run = PhpProcess::run(
            "require $support; \\McpGuard\\Tests\\Support\\HostileInput::runClass(" . var_export($class, true) . ');',
            ['memory_limit' => '2G', 'display_errors' => 'stderr', 'error_reporting' => (string) E_ALL],
        );
        $diag = "exit {$run['exit']}\nstderr: " . substr($run['stderr'], -2000)
            . "\nstdout: " . substr($run['stdout'], -4000);
        self::assertSame(0, $run['exit'], "the php process died (crash, signal or fatal)\n$diag");
        self::assertStringNotContainsString('Fatal error', $run['stderr'] . $run['stdout'], $diag);
        self::assertStringNotContainsString('panicked', $run['stderr'] . $run['stdout'], $diag);
        // Nothing at all on stderr: a refusal is an exception, never a
        // message in the PHP-FPM log.
        self::assertSame('', $run['stderr'], $diag);
        self::assertMatchesRegularExpression('/^DONE \d+$/m', $run['stdout'], $diag);

        $problems = [];
        foreach (explode("\n", trim($run['stdout'])) as $line) {
            if ($line === '' || str_starts_with($line, 'DONE ')) {
                continue;
            }
            $row = json_decode($line, true, 8, JSON_THROW_ON_ERROR);
            $method = preg_replace('/\(.*$/s', '', $row['call']);
            if (in_array($method, self::NOT_CONSTRUCTIBLE, true) && self::isNotInstantiable($row['detail'])) {
                continue;
            }
            $problems[] = $line;
        }
        self::assertSame([], $problems, $diag);
        preg_match('/^DONE (\d+)$/m', $run['stdout'], $m);
        self::assertGreaterThanOrEqual(count(HostileInput::table()[$class]) * 3, (int) $m[1]);
    }

    /**
     * The states PHP can make without a constructor: a clone, an unserialized
     * or reflection-made object. None may crash; a method on a clone must
     * behave like one on the original or refuse.
     *
     * @dataProvider classes
     */
    public function testObjectsCannotBeForgedByCloneUnserializeOrReflection(string $class): void
    {
        $support = var_export(dirname(__DIR__) . '/Support/HostileInput.php', true);
        $run = PhpProcess::run(
            "require $support; \\McpGuard\\Tests\\Support\\HostileInput::runForgery(" . var_export($class, true) . ');',
            ['memory_limit' => '512M', 'display_errors' => 'stderr'],
        );
        $diag = "exit {$run['exit']}\nstderr: " . substr($run['stderr'], -2000)
            . "\nstdout: " . substr($run['stdout'], -4000);
        self::assertSame(0, $run['exit'], "the php process died\n$diag");
        self::assertStringNotContainsString('panic', $run['stderr'] . $run['stdout'], $diag);
        self::assertMatchesRegularExpression('/^DONE \d+$/m', $run['stdout'], $diag);
        self::assertStringNotContainsString('"kind":"unexpected"', $run['stdout'], $diag);
    }
}
