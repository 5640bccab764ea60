<?php

declare(strict_types=1);

namespace McpGuard\Tests\Statamic;

use McpGuard\Server\Member\PdoMemberStore;
use McpGuard\Server\Token\PdoTokenStore;
use McpGuard\Server\Token\TokenRecord;
use McpGuard\Statamic\Database\LaravelTokenStore;
use McpGuard\Tests\Statamic\Support\AdapterCase;

/**
 * The stores on Laravel's query builder read and write the same rows as the
 * PDO stores of bin/mcp-guard (which the artisan commands use), both ways,
 * and a revoked token is refused through the Laravel stack.
 */
final class StoresTest extends AdapterCase
{
    public function testTheLaravelTokenStoreAndThePdoTokenStoreShareTheirRows(): void
    {
        $this->boot();
        $laravel = $this->t->addon()->tokens();
        $pdo = new PdoTokenStore($this->t->app['db']->connection()->getPdo());
        $a = new TokenRecord('pubA', 'sha256:' . str_repeat('ab', 32), 'u-1', ['discover', 'entries:read'], 'laptop', 1000, 2000, null);
        $b = new TokenRecord('pubB', 'sha256:' . str_repeat('cd', 32), 'u-1', [], '', 1500, null, 1700);
        $c = new TokenRecord('pubC', 'sha256:' . str_repeat('01', 32), 'u-2', ['read'], 'other', 1200, 3000, 2500);
        $laravel->save($a);
        $laravel->save($c);
        $pdo->save($b);
        self::assertEquals($c, $pdo->find('pubC'));
        self::assertEquals($a, $pdo->find('pubA'));
        self::assertEquals($b, $laravel->find('pubB'));
        self::assertNull($laravel->find('nope'));
        self::assertEquals([$b, $a], $laravel->forSubject('u-1'));
        self::assertEquals($pdo->all(), $laravel->all());
        $laravel->save($a->withHash('sha256:' . str_repeat('ef', 32)));
        self::assertSame('sha256:' . str_repeat('ef', 32), $pdo->find('pubA')?->hash, 'save() replaces the row of the same public id');
        self::assertCount(3, $pdo->all());
    }

    public function testTheLaravelMemberStoreReadsTheMembersTheCliWrites(): void
    {
        $this->boot();
        $pdo = new PdoMemberStore($this->t->addon()->database());
        $pdo->add('u-ada', 'viewer', 'Ada');
        $laravel = $this->t->addon()->members();
        self::assertSame(['viewer', 'Ada'], [$laravel->role('u-ada'), $laravel->name('u-ada')]);
        self::assertSame([null, null], [$laravel->role('u-bob'), $laravel->name('u-bob')]);
    }

    public function testARevokedTokenIs401(): void
    {
        $this->boot();
        $token = $this->token('u-ed', 'editor', 'discover,entries:read');
        self::assertSame(200, $this->mcp(['id' => 1, 'method' => 'tools/list'], "Bearer {$token}")['status']);
        $id = (string) $this->t->app['db']->connection()->table('mcp_guard_tokens')->value('public_id');
        [$code, $out] = $this->artisan('mcp-guard:token:revoke', ['publicId' => $id]);
        self::assertSame(0, $code, $out);
        $r = $this->mcp(['id' => 2, 'method' => 'tools/list'], "Bearer {$token}");
        self::assertSame(401, $r['status'], $r['body']);
        self::assertStringContainsString('error="invalid_token"', (string) $r['headers']->get('WWW-Authenticate'));
    }
}
