<?php

declare(strict_types=1);

namespace McpGuard\Server\Mcp;

use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Mcp\Envelope;
use McpGuard\Mcp\Protocol;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;

/**
 * The MCP endpoint (Streamable HTTP, JSON responses), serving 2026-07-28
 * (stateless) and 2025-11-25 and older (`initialize`) side by side. I/O
 * only: which era, which message, and every refusal are the extension's
 * decisions (McpGuard\Mcp\Envelope); who may call what is the pipeline's.
 *
 *   $in = $endpoint->read($request);            // Incoming, or a refusal Response
 *   ... the pipeline authorizes each message ...
 *   $answers = [$endpoint->answer($message, $caller), ...];
 *   return $endpoint->respond($in, $answers);
 *
 * See docs/mcp.md.
 */
final class Endpoint
{
    private const JSON = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION | JSON_THROW_ON_ERROR;
    private const META_SERVER_INFO = 'io.modelcontextprotocol/serverInfo';

    /** @var array{name: string, version: string} */
    private readonly array $serverInfo;

    /**
     * @param int $ttlMs the `ttlMs` of 2026-07-28 `tools/list` and `server/discover` results (how long a client may reuse them; 0 = always re-fetch)
     * @throws InvalidArgumentException an empty server name or version, or a negative ttlMs
     */
    public function __construct(
        private readonly ToolRegistry $tools,
        private readonly EndpointLimits $limits = new EndpointLimits(),
        string $serverName = 'mcp_guard',
        string $serverVersion = '1.0.0',
        private readonly ?string $instructions = null,
        private readonly int $ttlMs = 0,
    ) {
        if ($serverName === '' || $serverVersion === '' || $ttlMs < 0) {
            throw new InvalidArgumentException('The MCP server settings are not acceptable.');
        }
        $this->serverInfo = ['name' => $serverName, 'version' => $serverVersion];
    }

    /**
     * Reads one HTTP request: POST only (405 with `Allow: POST` otherwise),
     * a body within the size cap (413), JSON (-32700), then the extension's
     * envelope, era and header checks. A refusal is the Response to send.
     */
    public function read(Request $r): Incoming|Response
    {
        if ($r->method !== 'POST') {
            return $this->refusal(Envelope::refused('method_not_allowed'), ['Allow' => 'POST']);
        }
        if (strlen($r->body) > $this->limits->maxBodyBytes) {
            return $this->refusal(Envelope::refused('body_too_large'));
        }
        try {
            // No JSON_BIGINT_AS_STRING: an id too large for an int must not become a string id.
            $decoded = json_decode($r->body, true, $this->limits->maxDepth, JSON_THROW_ON_ERROR);
        } catch (\JsonException) {
            return $this->refusal(Envelope::refused('parse_error'));
        }
        $envelope = Envelope::read(
            $decoded,
            $r->header('MCP-Protocol-Version'),
            $r->header('Mcp-Method'),
            $r->header('Mcp-Name'),
            $this->limits->maxBatch,
        );
        if (!$envelope->ok()) {
            return $this->refusal($envelope);
        }
        $version = (string) $envelope->protocolVersion();
        $modern = $envelope->isModern();
        $items = $envelope->isBatch() ? $decoded : [$decoded];
        $messages = [];
        foreach ($envelope->messages() as $i => [$method, $id, $tool]) {
            $params = $items[$i]['params'] ?? [];
            $messages[] = new Message(
                $version,
                $modern,
                $method,
                $id,
                $id === null,
                $tool,
                $tool !== null ? ($params['arguments'] ?? []) : [],
                $params['_meta'] ?? [],
            );
        }
        return new Incoming($version, $modern, $messages, $envelope->isBatch());
    }

    /**
     * The JSON-RPC response object for one message the pipeline allowed
     * (null for a notification). `tools/call` runs the bound handler without
     * asking again whether the caller may: the pipeline decided that; a tool
     * that is not bound is -32602. `tools/list` shows `$caller->visibleTools`.
     *
     * @return array<string, mixed>|null
     */
    public function answer(Message $m, Caller $caller): ?array
    {
        if ($m->isNotification) {
            return null;
        }
        $result = match ($m->method) {
            'initialize' => $this->initializeResult($m),
            'ping' => [],
            'server/discover' => $this->discoverResult(),
            'tools/list' => $this->toolsListResult($m, $caller),
            'tools/call' => $this->toolsCallResult($m, $caller),
            default => null,
        };
        if ($result === null) {
            return $this->error($m, -32601, 'Method not found.');
        }
        if (isset($result['error'])) {
            return $this->error($m, $result['error'][0], $result['error'][1]);
        }
        if ($m->modern) {
            $result['resultType'] = 'complete';
            $result['_meta'] = [self::META_SERVER_INFO => $this->serverInfo];
        }
        return ['jsonrpc' => '2.0', 'id' => $m->id, 'result' => $result === [] ? new \stdClass() : $result];
    }

    /**
     * A JSON-RPC error object answering a message the pipeline refused.
     *
     * @param array<string, mixed>|null $data
     * @return array<string, mixed>
     */
    public function error(Message $m, int $code, string $message, ?array $data = null): array
    {
        $error = ['code' => $code, 'message' => $message];
        if ($data !== null) {
            $error['data'] = $data;
        }
        return ['jsonrpc' => '2.0', 'id' => $m->id, 'error' => $error];
    }

    /**
     * The HTTP answer: 202 without a body when every answer is null
     * (notifications only), else the JSON body (one object, or a list for a
     * batch); 2026-07-28 answers echo `MCP-Protocol-Version`.
     *
     * @param list<array<string, mixed>|null> $answers one per message of `$in`, in order
     * @param array<string, string>           $headers more headers (rate-limit headers, …)
     */
    public function respond(Incoming $in, array $answers, array $headers = [], int $status = 200): Response
    {
        $base = ['Cache-Control' => 'no-store', 'X-Content-Type-Options' => 'nosniff'];
        if ($in->modern) {
            $base['MCP-Protocol-Version'] = $in->era;
        }
        $present = array_values(array_filter($answers, static fn ($a): bool => $a !== null));
        if ($present === []) {
            return new Response(202, $headers + $base);
        }
        try {
            $body = json_encode($in->isBatch ? $present : $present[0], self::JSON);
        } catch (\JsonException) {
            $body = '{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"Internal error."}}';
            $status = 500;
        }
        return new Response($status, $headers + ['Content-Type' => 'application/json'] + $base, $body);
    }

    /** @return array<string, mixed> */
    private function initializeResult(Message $m): array
    {
        $result = [
            'protocolVersion' => $m->protocolVersion,
            'capabilities' => ['tools' => ['listChanged' => false]],
            'serverInfo' => $this->serverInfo,
        ];
        if ($this->instructions !== null) {
            $result['instructions'] = $this->instructions;
        }
        return $result;
    }

    /** @return array<string, mixed> */
    private function discoverResult(): array
    {
        $result = [
            'supportedVersions' => Protocol::supportedVersions(),
            'capabilities' => ['tools' => ['listChanged' => false]],
            'ttlMs' => $this->ttlMs,
            'cacheScope' => 'private',
        ];
        if ($this->instructions !== null) {
            $result['instructions'] = $this->instructions;
        }
        return $result;
    }

    /** @return array<string, mixed> */
    private function toolsListResult(Message $m, Caller $caller): array
    {
        $result = ['tools' => $this->tools->entries($caller->visibleTools)];
        if ($m->modern) {
            // The list depends on who asks: never shared across callers.
            $result['ttlMs'] = $this->ttlMs;
            $result['cacheScope'] = 'private';
        }
        return $result;
    }

    /** @return array<string, mixed> */
    private function toolsCallResult(Message $m, Caller $caller): array
    {
        $name = (string) $m->toolName;
        if (!$this->tools->has($name)) {
            // A manifest tool nobody bound (2025-11-25 server/tools: an unknown tool is -32602).
            // Whether the caller may call it is the pipeline's decision, taken before answer().
            return ['error' => [-32602, 'Unknown tool.']];
        }
        try {
            $out = $this->tools->call($name, $m->arguments, $caller);
            if (is_string($out)) {
                json_encode($out, self::JSON);
                return ['content' => [['type' => 'text', 'text' => $out]], 'isError' => false];
            }
            $structured = $out === [] ? new \stdClass() : (array_is_list($out) ? ['items' => $out] : $out);
            $text = json_encode($structured, self::JSON);
            return ['content' => [['type' => 'text', 'text' => $text]], 'structuredContent' => $structured, 'isError' => false];
        } catch (\Throwable) {
            // Never the exception's message: it may hold data the caller must not see.
            return ['content' => [['type' => 'text', 'text' => 'The tool failed.']], 'isError' => true];
        }
    }

    /** @param array<string, string> $headers */
    private function refusal(Envelope $e, array $headers = []): Response
    {
        $error = ['code' => $e->jsonRpcCode(), 'message' => $e->errorMessage()];
        $data = $e->errorData();
        if ($data !== null) {
            $error['data'] = $data;
        }
        $body = json_encode(['jsonrpc' => '2.0', 'id' => $e->errorId(), 'error' => $error], self::JSON);
        return new Response($e->httpStatus(), $headers + [
            'Content-Type' => 'application/json',
            'Cache-Control' => 'no-store',
            'X-Content-Type-Options' => 'nosniff',
        ], $body);
    }
}
