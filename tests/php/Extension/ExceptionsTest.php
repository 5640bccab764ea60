<?php

declare(strict_types=1);

namespace McpGuard\Tests\Extension;

use McpGuard\Exception\ConfigurationException;
use McpGuard\Exception\GuardException;
use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Exception\InvalidRequestException;
use McpGuard\Exception\InvalidTokenException;
use McpGuard\Tokens;
use PHPUnit\Framework\TestCase;

final class ExceptionsTest extends TestCase
{
    public function testHierarchyAndErrorCodes(): void
    {
        $expected = [
            InvalidTokenException::class => 'invalid_token',
            InvalidRequestException::class => 'invalid_request',
            InvalidArgumentException::class => 'invalid_argument',
            ConfigurationException::class => 'server_error',
            GuardException::class => 'server_error',
        ];
        foreach ($expected as $class => $code) {
            $e = new $class('constructed by PHP');
            self::assertInstanceOf(GuardException::class, $e);
            self::assertInstanceOf(\Exception::class, $e);
            self::assertSame($code, $e->errorCode(), $class);
            self::assertSame('unspecified', $e->reason());
        }
        // errorCode() and reason() cannot be overridden to lie.
        $m = new \ReflectionMethod(GuardException::class, 'errorCode');
        self::assertTrue($m->isFinal());
        self::assertTrue((new \ReflectionMethod(GuardException::class, 'reason'))->isFinal());
    }

    public function testThrownExceptionsCarryFileLineAndTrace(): void
    {
        $line = __LINE__ + 2;
        try {
            (new Tokens())->verify('x', 'y');
        } catch (InvalidTokenException $e) {
            self::assertSame(__FILE__, $e->getFile());
            self::assertSame($line, $e->getLine());
            self::assertSame('McpGuard\Tokens', $e->getTrace()[0]['class'] ?? null);
            self::assertSame('malformed', $e->reason());
            self::assertGreaterThan(0, $e->getCode());
            return;
        }
        self::fail('no exception');
    }

    public function testReasonCodesAreStableIdentifiers(): void
    {
        $codes = [];
        foreach (['x', 'mcp_0123456789ABCDEF_' . str_repeat('a', 49)] as $bad) {
            try {
                (new Tokens())->verify($bad, 'sha256:' . str_repeat('0', 64));
            } catch (InvalidTokenException $e) {
                $codes[$e->reason()] = $e->getCode();
            }
        }
        // The code is CRC32 of the reason (31 bits): the same in every process
        // and every version, so logs can store the number.
        self::assertSame(crc32('malformed') & 0x7fffffff, $codes['malformed']);
        self::assertSame(crc32('bad_checksum') & 0x7fffffff, $codes['bad_checksum']);
    }

    public function testUserSubclassesKeepTheirParentsErrorCode(): void
    {
        $e = new class ('x') extends InvalidTokenException {
        };
        self::assertSame('invalid_token', $e->errorCode());
    }
}
