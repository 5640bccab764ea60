<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server;

use McpGuard\Exception\GuardException;
use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Exception\InvalidRequestException;
use McpGuard\Exception\InvalidTokenException;
use McpGuard\Server\Token\PdoTokenStore;
use McpGuard\Server\Token\TokenService;
use McpGuard\Tokens;
use PDO;
use PHPUnit\Framework\TestCase;

/**
 * The token glue against a real database: a SQLite file by default, or the
 * server named by MCP_GUARD_TEST_DSN (tests/db/mariadb.sh starts a MariaDB on a
 * private socket and sets it).
 */
final class TokenServiceTest extends TestCase
{
    private const NOW = 1_800_000_000;
    private const PEPPER = 'glue-test-pepper-0123456789abcdefghijklmn';

    private ?string $file = null;
    private PDO $pdo;
    private PdoTokenStore $store;

    protected function setUp(): void
    {
        $dsn = getenv('MCP_GUARD_TEST_DSN');
        if ($dsn === false || $dsn === '') {
            $this->file = tempnam(sys_get_temp_dir(), 'mcpg') . '.sqlite';
            $this->pdo = new PDO('sqlite:' . $this->file);
        } else {
            $this->pdo = new PDO($dsn, getenv('MCP_GUARD_TEST_DB_USER') ?: null, getenv('MCP_GUARD_TEST_DB_PASSWORD') ?: null);
            $this->pdo->exec('DROP TABLE IF EXISTS mcp_guard_tokens');
        }
        $this->store = new PdoTokenStore($this->pdo);
        $this->store->createTable();
    }

    protected function tearDown(): void
    {
        if ($this->file !== null) {
            @unlink($this->file);
        }
    }

    /** Every stored byte, whatever the database. */
    private function storedBytes(): string
    {
        return json_encode($this->pdo->query('SELECT * FROM mcp_guard_tokens')->fetchAll(PDO::FETCH_ASSOC), JSON_THROW_ON_ERROR);
    }

    public function testDriverUnderTest(): void
    {
        $driver = $this->pdo->getAttribute(PDO::ATTR_DRIVER_NAME);
        self::assertContains($driver, ['sqlite', 'mysql']);
        if (getenv('MCP_GUARD_TEST_DSN')) {
            self::assertSame('mysql', $driver);
        }
    }

    private static function reason(callable $fn): string
    {
        try {
            $fn();
        } catch (InvalidTokenException $e) {
            return $e->reason();
        }
        self::fail('expected InvalidTokenException');
    }

    public function testIssueStoresOnlyTheHashAndAuthenticates(): void
    {
        $svc = new TokenService($this->store);
        $t = $svc->issue('customer:42', ['mcp.read', 'mcp.write'], 'Claude desktop', 3600, self::NOW);
        $auth = $svc->authenticate('Bearer ' . $t->plaintext(), self::NOW + 1);
        self::assertNotNull($auth);
        self::assertSame($t->publicId(), $auth->publicId);
        self::assertSame('customer:42', $auth->subject);
        self::assertSame(['mcp.read', 'mcp.write'], $auth->scopes);

        $bytes = $this->storedBytes();
        self::assertStringNotContainsString(substr($t->plaintext(), 21, 43), $bytes, 'the secret must never be stored');
        self::assertStringContainsString(substr($t->hash(), 7), $bytes);
        if ($this->file !== null) {
            self::assertStringNotContainsString(substr($t->plaintext(), 21, 43), (string) file_get_contents($this->file));
        }

        $rows = $this->store->forSubject('customer:42');
        self::assertCount(1, $rows);
        self::assertSame('Claude desktop', $rows[0]->name);
        self::assertSame(self::NOW + 3600, $rows[0]->expiresAt);
    }

    public function testNoBearerMeansNoIdentityAndMalformedHeadersAreInvalidRequest(): void
    {
        $svc = new TokenService($this->store);
        self::assertNull($svc->authenticate(null));
        self::assertNull($svc->authenticate(''));
        self::assertNull($svc->authenticate('Basic ' . base64_encode('a:b')));
        $this->expectException(InvalidRequestException::class);
        $svc->authenticate('Bearer a b');
    }

    public function testRefusals(): void
    {
        $svc = new TokenService($this->store);
        $t = $svc->issue('u', ['mcp.read'], '', 60, self::NOW);
        $p = $t->plaintext();
        $typo = $p;
        $typo[30] = $typo[30] === 'A' ? 'B' : 'A';
        self::assertSame('bad_checksum', self::reason(fn () => $svc->authenticate("Bearer $typo", self::NOW)));
        self::assertSame('malformed', self::reason(fn () => $svc->authenticate('Bearer nottoken', self::NOW)));
        // A well-formed token of ours that was never stored.
        $stranger = (new Tokens())->issue()->plaintext();
        self::assertSame('unknown_token', self::reason(fn () => $svc->authenticate("Bearer $stranger", self::NOW)));
        self::assertSame('expired', self::reason(fn () => $svc->authenticate("Bearer $p", self::NOW + 60)));
        self::assertTrue($svc->revoke($t->publicId(), self::NOW + 1));
        self::assertSame('revoked', self::reason(fn () => $svc->authenticate("Bearer $p", self::NOW + 2)));
        self::assertFalse($svc->revoke('nope'));
    }

    public function testRotationKeepsTheOldTokenForTheOverlapOnly(): void
    {
        $svc = new TokenService($this->store);
        $old = $svc->issue('u', ['mcp.read'], 'laptop', 30 * 86400, self::NOW);
        $new = $svc->rotate($old->publicId(), 3600, null, self::NOW);
        self::assertSame('u', $svc->authenticate('Bearer ' . $new->plaintext(), self::NOW)?->subject);
        self::assertSame('u', $svc->authenticate('Bearer ' . $old->plaintext(), self::NOW + 3599)?->subject);
        self::assertSame('expired', self::reason(fn () => $svc->authenticate('Bearer ' . $old->plaintext(), self::NOW + 3600)));
        self::assertSame(['mcp.read'], $this->store->find($new->publicId())?->scopes);
    }

    public function testAnExpiredTokenCannotBeRotatedIntoAFreshOne(): void
    {
        $svc = new TokenService($this->store);
        $old = $svc->issue('u', ['mcp.read'], 'laptop', 60, self::NOW);
        $before = $this->storedBytes();
        self::assertSame('expired', self::reason(fn () => $svc->rotate($old->publicId(), null, null, self::NOW + 60)));
        self::assertSame($before, $this->storedBytes(), 'nothing is stored for a refused rotation');
        // One second earlier it still rotates.
        self::assertNotNull($svc->rotate($old->publicId(), null, null, self::NOW + 59));
    }

    public function testARevokedTokenCannotBeRotated(): void
    {
        $svc = new TokenService($this->store);
        $old = $svc->issue('u', ['mcp.read'], 'laptop', 3600, self::NOW);
        self::assertTrue($svc->revoke($old->publicId(), self::NOW + 1));
        $before = $this->storedBytes();
        self::assertSame('revoked', self::reason(fn () => $svc->rotate($old->publicId(), null, null, self::NOW + 2)));
        self::assertSame($before, $this->storedBytes());
    }

    public function testRotatingAnUnknownPublicIdThrowsAGuardException(): void
    {
        $svc = new TokenService($this->store);
        try {
            $svc->rotate('0123456789ABCDEF', null, null, self::NOW);
            self::fail('rotated a token that does not exist');
        } catch (GuardException $e) {
            self::assertInstanceOf(InvalidArgumentException::class, $e);
            self::assertSame('invalid_argument', $e->errorCode());
        }
        self::assertSame('[]', $this->storedBytes());
    }

    public function testRowsMadeBeforeAPepperAreUpgradedOnUse(): void
    {
        $before = new TokenService($this->store);
        $t = $before->issue('u', [], '', null, self::NOW);
        self::assertStringStartsWith('sha256:', $this->store->find($t->publicId())?->hash ?? '');

        $after = new TokenService($this->store, new Tokens(null, self::PEPPER));
        self::assertNotNull($after->authenticate('Bearer ' . $t->plaintext(), self::NOW));
        $hash = $this->store->find($t->publicId())?->hash ?? '';
        self::assertStringStartsWith('hmac-sha256:', $hash);
        // And it keeps working.
        self::assertNotNull($after->authenticate('Bearer ' . $t->plaintext(), self::NOW));
    }

    public function testStoreRefusesHostileNames(): void
    {
        // A trailing newline too: `$` without /D matched before it.
        foreach (["tokens\n", 'tokens; DROP TABLE x'] as $name) {
            try {
                new PdoTokenStore(new PDO('sqlite::memory:'), $name);
                self::fail('accepted ' . json_encode($name));
            } catch (InvalidArgumentException) {
                self::addToAssertionCount(1);
            }
        }
    }

    /** @return array<string, array{mixed}> */
    public static function badScopes(): array
    {
        return [
            'trailing newline' => ["mcp.read\n"],
            'CRLF' => ["mcp.read\r\n"],
            'inner space' => ['mcp read'],
            'leading space' => [' read'],
            'empty' => [''],
            'quote' => ['"read"'],
            'backslash' => ['re\\ad'],
            'NUL' => ["read\0"],
            'tab' => ["read\t"],
            'DEL' => ["\x7f"],
            'non-ASCII' => ['lés'],
            'not UTF-8' => ["\xff"],
            '129 bytes' => [str_repeat('r', 129)],
            'an integer' => [7],
            'null' => [null],
            'an array' => [['read']],
        ];
    }

    /** @dataProvider badScopes */
    public function testScopesAreCheckedByTheExtensionNotARegex(mixed $scope): void
    {
        $svc = new TokenService($this->store);
        try {
            $svc->issue('u', ['read', $scope], '', 60, self::NOW);
            self::fail('stored the scope ' . var_export($scope, true));
        } catch (GuardException $e) {
            self::assertInstanceOf(InvalidArgumentException::class, $e);
        }
        self::assertSame('[]', $this->storedBytes(), 'nothing is stored');
    }

    public function testTheScopeGrammarAcceptsWhatThePolicyGrantsBy(): void
    {
        $svc = new TokenService($this->store);
        $scopes = ['mcp.read', 'read', 'entries:write', 'discover', '!#$%&\'()*+,-./:;<=>?@[]^_`{|}~', str_repeat('r', 128)];
        $t = $svc->issue('u', $scopes, '', 60, self::NOW);
        self::assertSame($scopes, $svc->authenticate('Bearer ' . $t->plaintext(), self::NOW)?->scopes);
        // At most 256, the most the policy looks at.
        $many = array_map(static fn (int $i): string => "s$i", range(1, 256));
        $svc->issue('v', $many, '', 60, self::NOW);
        self::assertSame($many, $this->store->forSubject('v')[0]->scopes);
        $this->expectException(InvalidArgumentException::class);
        $svc->issue('w', [...$many, 'one-more'], '', 60, self::NOW);
    }
}
