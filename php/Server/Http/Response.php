<?php

declare(strict_types=1);

namespace McpGuard\Server\Http;

use McpGuard\Exception\InvalidArgumentException;

/**
 * One HTTP response as the glue makes it: status, headers, body. An adapter
 * turns it into its framework's response, or send() emits it under plain PHP.
 * Header names are case-insensitive (set again, a header is replaced); a
 * value can never carry a line break, so no header can be injected.
 */
final class Response
{
    /** @var array<string, array{0: string, 1: string}> lower-case name => [name as given, value] */
    private array $headers = [];

    /**
     * @param array<string, string> $headers
     * @throws InvalidArgumentException a status outside 100–599, a bad header name or value
     */
    public function __construct(public readonly int $status = 200, array $headers = [], public readonly string $body = '')
    {
        if ($status < 100 || $status > 599) {
            throw new InvalidArgumentException('The status code is not acceptable.');
        }
        foreach ($headers as $name => $value) {
            $this->set((string) $name, $value);
        }
    }

    /** A copy with the header set (replacing one of the same name in any case). */
    public function withHeader(string $name, string $value): self
    {
        $copy = clone $this;
        $copy->set($name, $value);
        return $copy;
    }

    /** A header's value, by case-insensitive name, or null. */
    public function header(string $name): ?string
    {
        return $this->headers[strtolower($name)][1] ?? null;
    }

    /** @return array<string, string> every header, name as given => value */
    public function headers(): array
    {
        return array_column(array_values($this->headers), 1, 0);
    }

    /** Emits the response through the SAPI (plain PHP, no framework). */
    public function send(): void
    {
        foreach ($this->headers as [$name, $value]) {
            header("{$name}: {$value}", true);
        }
        // After the headers: PHP turns the status into 401 when a
        // WWW-Authenticate header is set (a 403 insufficient_scope carries one).
        http_response_code($this->status);
        echo $this->body;
    }

    private function set(string $name, mixed $value): void
    {
        if (preg_match('/^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$/D', $name) !== 1
            || !is_string($value) || preg_match('/[\x00-\x08\x0A-\x1F\x7F]/', $value) === 1) {
            throw new InvalidArgumentException('A response header is not acceptable.');
        }
        $this->headers[strtolower($name)] = [$name, $value];
    }
}
