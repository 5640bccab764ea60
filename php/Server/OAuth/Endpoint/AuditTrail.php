<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Endpoint;

use McpGuard\Audit\Event;
use McpGuard\Server\Audit\AuditSink;
use McpGuard\Server\Http\Request;

/**
 * The OAuth endpoints' audit events (code exchanged, token refreshed,
 * revoked, failed with its reason), written when the host gives the server
 * an AuditSink. The event type holds no secret: the member, the client id,
 * the token's public id, the reason, the address. A sink that fails is
 * reported in the PHP log and never changes the answer.
 */
final class AuditTrail
{
    public function __construct(private readonly ?AuditSink $sink)
    {
    }

    /** @param array<string, string|null> $facts principal, clientId, tokenId, reason */
    public function record(string $type, bool $allowed, Request $request, array $facts): void
    {
        if ($this->sink === null) {
            return;
        }
        $fields = ['outcome' => $allowed ? 'allowed' : 'denied'];
        foreach ($facts + ['ip' => $request->remoteAddress] as $k => $v) {
            if (is_string($v) && $v !== '') {
                $fields[$k] = $v;
            }
        }
        try {
            $this->sink->append(new Event($type, $fields));
        } catch (\Throwable $e) {
            error_log('mcp_guard: the audit event could not be written (' . get_class($e) . ')');
        }
    }
}
