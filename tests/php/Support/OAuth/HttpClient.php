<?php

declare(strict_types=1);

namespace McpGuard\Tests\Support\OAuth;

/**
 * A small HTTP/1.1 client for the tests (no curl here): one request per
 * connection, redirects never followed, a cookie jar of name => value.
 */
final class HttpClient
{
    /** @var array<string, string> */
    public array $cookies = [];

    public function __construct(private readonly string $origin)
    {
    }

    /**
     * @param array<string, string> $headers
     * @return array{status: int, headers: array<string, string>, body: string} header names lower-cased
     */
    public function request(string $method, string $target, string $body = '', array $headers = []): array
    {
        $url = str_starts_with($target, 'http') ? $target : $this->origin . $target;
        if ($this->cookies !== []) {
            $headers['Cookie'] = implode('; ', array_map(static fn ($k, $v): string => "{$k}={$v}", array_keys($this->cookies), $this->cookies));
        }
        $lines = [];
        foreach ($headers as $k => $v) {
            $lines[] = "{$k}: {$v}";
        }
        $ctx = stream_context_create(['http' => ['method' => $method, 'header' => implode("\r\n", $lines), 'content' => $body,
            'ignore_errors' => true, 'follow_location' => 0, 'protocol_version' => 1.1, 'timeout' => 20]]);
        $response = @file_get_contents($url, false, $ctx);
        /** @var list<string> $http_response_header */
        $raw = $http_response_header ?? [];
        if ($response === false && $raw === []) {
            throw new \RuntimeException("{$method} {$url} failed");
        }
        preg_match('#^HTTP/\S+ (\d{3})#', (string) ($raw[0] ?? ''), $m);
        $out = [];
        foreach (array_slice($raw, 1) as $line) {
            [$name, $value] = array_map('trim', explode(':', $line, 2) + [1 => '']);
            $name = strtolower($name);
            if ($name === 'set-cookie' && preg_match('/^([^=;]+)=([^;]*)/', $value, $c) === 1) {
                $this->cookies[$c[1]] = $c[2];
            }
            $out[$name] = isset($out[$name]) ? $out[$name] . ', ' . $value : $value;
        }
        return ['status' => (int) ($m[1] ?? 0), 'headers' => $out, 'body' => (string) $response];
    }
}
