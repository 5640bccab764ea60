<?php

declare(strict_types=1);

namespace McpGuard\Tests\Statamic\Support;

use PHPUnit\Framework\TestCase;

/**
 * One fresh Laravel app per test (its own directory and SQLite file, so rate
 * states and rows never leak between tests), requests through its HTTP
 * kernel, and the addon's artisan commands.
 */
abstract class AdapterCase extends TestCase
{
    protected const MCP = 'https://localhost/mcp/statamic';
    public const USERS = [
        'ada@example.com' => ['id' => 'u-ada', 'password' => 'correct horse', 'permissions' => ['access cp']],
        'bob@example.com' => ['id' => 'u-bob', 'password' => 'battery staple', 'permissions' => []],
        'cy@example.com' => ['id' => 'u-cy', 'password' => 'hunter2 hunter2', 'permissions' => ['access cp', 'view mcp guard']],
    ];

    protected TestApp $t;

    /** @param array<string, mixed> $settings */
    protected function boot(array $settings = [], string $url = 'https://localhost'): TestApp
    {
        $dir = sys_get_temp_dir() . '/mcpg-statamic-' . bin2hex(random_bytes(6));
        $this->t = new TestApp($dir, $settings, self::USERS, $url);
        $this->t->app['db']->connection()->table('entries')->insert([['id' => 'home', 'title' => 'Home'], ['id' => 'about', 'title' => 'About']]);
        return $this->t;
    }

    protected function tearDown(): void
    {
        if (isset($this->t)) {
            $this->t->app['db']->disconnect();
            exec('rm -rf ' . escapeshellarg($this->t->dir));
        }
    }

    /**
     * @param array<string, mixed> $args
     * @return array{0: int, 1: string} exit code, output
     */
    protected function artisan(string $command, array $args = []): array
    {
        return $this->t->artisan($command, $args);
    }

    /** A member and a token of theirs, made with the artisan commands. */
    protected function token(string $member, string $role, string $scopes): string
    {
        self::assertSame(0, $this->artisan('mcp-guard:member:add', ['id' => $member, '--role' => $role])[0]);
        [$code, $out] = $this->artisan('mcp-guard:token:create', ['member' => $member, '--scopes' => $scopes]);
        self::assertSame(0, $code, $out);
        self::assertSame(1, preg_match('/\b(mcp_[A-Za-z0-9_]+)/', $out, $m), $out);
        return $m[1];
    }

    /**
     * @param array<string, mixed> $message
     * @param array<string, string> $headers
     * @return array{status: int, headers: \Symfony\Component\HttpFoundation\ResponseHeaderBag, body: string, json: mixed}
     */
    protected function mcp(array $message, ?string $authorization, array $headers = [], string $url = self::MCP, array $server = []): array
    {
        $headers += ['Content-Type' => 'application/json', 'Accept' => 'application/json, text/event-stream'];
        if ($authorization !== null) {
            $headers['Authorization'] = $authorization;
        }
        $r = $this->t->handle('POST', $url, $headers, json_encode($message + ['jsonrpc' => '2.0'], JSON_UNESCAPED_SLASHES), $server);
        $body = (string) $r->getContent();
        return ['status' => $r->getStatusCode(), 'headers' => $r->headers, 'body' => $body, 'json' => json_decode($body, true)];
    }

    /** @return array{status: int, headers: \Symfony\Component\HttpFoundation\ResponseHeaderBag, body: string, json: mixed} */
    protected function call(string $tool, array $arguments, ?string $authorization): array
    {
        return $this->mcp(['id' => 7, 'method' => 'tools/call', 'params' => ['name' => $tool, 'arguments' => (object) $arguments]], $authorization);
    }

    protected static function basic(string $user, string $password): string
    {
        return 'Basic ' . base64_encode($user . ':' . $password);
    }

    protected function title(string $id): ?string
    {
        $v = $this->t->app['db']->connection()->table('entries')->where('id', $id)->value('title');
        return $v === null ? null : (string) $v;
    }
}
