<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

require_once __DIR__ . '/OAuthStoreTestCase.php';

use McpGuard\Server\OAuth\Pdo\PdoGrantStore;
use McpGuard\Server\OAuth\Store\GrantRecord;

final class GrantStoreTest extends OAuthStoreTestCase
{
    /** One client id shared by every installation (a metadata document URL). */
    private const SHARED = 'sha256:claude-code-metadata-document';
    private const DEVICE_A = 'http://127.0.0.1/callback';
    private const DEVICE_B = 'http://localhost/callback';

    private PdoGrantStore $grants;

    protected function setUp(): void
    {
        parent::setUp();
        $this->grants = new PdoGrantStore($this->db);
    }

    /** @param list<string> $scopes */
    private function grant(string $member, string $client, string $redirect, array $scopes, int $at = self::NOW): GrantRecord
    {
        $g = new GrantRecord($member, $client, $redirect, $scopes, $at, $at);
        $this->grants->save($g);
        return $g;
    }

    public function testOneDevicesReconsentNeverTouchesAnothersGrant(): void
    {
        $this->grant('alice', self::SHARED, self::DEVICE_A, ['mcp.read']);
        $this->grant('alice', self::SHARED, self::DEVICE_B, ['mcp.read', 'mcp.write']);
        $this->grant('alice', self::SHARED, self::DEVICE_A, ['mcp.read', 'orders.read'], self::NOW + 100);

        $a = $this->grants->find('alice', self::SHARED, self::DEVICE_A);
        self::assertSame(['mcp.read', 'orders.read'], $a?->scopes);
        self::assertSame(self::NOW, $a?->createdAt, 're-consent keeps the creation time');
        self::assertSame(self::NOW + 100, $a?->updatedAt);
        $b = $this->grants->find('alice', self::SHARED, self::DEVICE_B);
        self::assertSame(['mcp.read', 'mcp.write'], $b?->scopes, 'the other device keeps its grant unchanged');
        self::assertSame(self::NOW, $b?->updatedAt);
    }

    public function testFindMatchesTheWholeKeyExactly(): void
    {
        $this->grant('alice', self::SHARED, 'https://app.example/cb', []);
        self::assertSame([], $this->grants->find('alice', self::SHARED, 'https://app.example/cb')?->scopes);
        foreach ([
            ['Alice', self::SHARED, 'https://app.example/cb'],
            ['alice ', self::SHARED, 'https://app.example/cb'],
            ['alice', self::SHARED . ' ', 'https://app.example/cb'],
            ['alice', strtoupper(self::SHARED), 'https://app.example/cb'],
            ['alice', self::SHARED, 'https://app.example/cb/'],
            ['alice', self::SHARED, 'https://APP.example/cb'],
            ['alice', self::SHARED, 'https://app.example/cb '],
            ['bob', self::SHARED, 'https://app.example/cb'],
        ] as $key) {
            self::assertNull($this->grants->find(...$key), json_encode($key));
        }
    }

    public function testRevokeByMemberAndClientOrByMember(): void
    {
        $this->grant('alice', 'client-1', self::DEVICE_A, ['mcp.read']);
        $this->grant('alice', 'client-1', self::DEVICE_B, ['mcp.read']);
        $this->grant('alice', 'client-2', self::DEVICE_A, ['mcp.read']);
        $this->grant('bob', 'client-1', self::DEVICE_A, ['mcp.read']);

        self::assertSame(2, $this->grants->revoke('alice', 'client-1'), 'every redirect URI of that client');
        self::assertNull($this->grants->find('alice', 'client-1', self::DEVICE_A));
        self::assertNull($this->grants->find('alice', 'client-1', self::DEVICE_B));
        self::assertNotNull($this->grants->find('alice', 'client-2', self::DEVICE_A));
        self::assertNotNull($this->grants->find('bob', 'client-1', self::DEVICE_A), 'another member is untouched');

        self::assertSame(1, $this->grants->revoke('alice'));
        self::assertNull($this->grants->find('alice', 'client-2', self::DEVICE_A));
        self::assertNotNull($this->grants->find('bob', 'client-1', self::DEVICE_A));
        self::assertSame(0, $this->grants->revoke('alice'));
    }
}
