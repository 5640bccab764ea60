<?php

declare(strict_types=1);

namespace McpGuard\Server\Http;

use McpGuard\Server\Guard\Refusal;
use McpGuard\Server\Mcp\Endpoint;
use McpGuard\Server\Mcp\Incoming;

/**
 * The one place a pipeline refusal becomes an HTTP response: its status,
 * the headers the extension built (WWW-Authenticate, RateLimit-Policy,
 * RateLimit, Retry-After), and a JSON-RPC body — an error for the first
 * message (id null when the request was not read yet), or the tool RESULT
 * of a confirmation request.
 */
final class Refusals
{
    private const JSON = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR;

    public function __construct(private readonly Endpoint $mcp)
    {
    }

    /**
     * @param int $at the index of the refused message in `$in` (a batch is
     *   refused whole: no message of it ran; the others are answered with a
     *   -32000 error saying so)
     */
    public function respond(Refusal $r, ?Incoming $in, int $at = 0): Response
    {
        if ($r->response !== null) {
            return $r->response;
        }
        if ($in !== null && isset($in->messages[$at])) {
            $answers = [];
            foreach ($in->messages as $i => $m) {
                if ($m->isNotification) {
                    $answers[] = null;
                } elseif ($i !== $at) {
                    $answers[] = $this->mcp->error($m, -32000, 'Not run: another message of the batch was refused.');
                } elseif ($r->result !== null) {
                    $answers[] = ['jsonrpc' => '2.0', 'id' => $m->id, 'result' => $r->result + ($m->modern ? ['resultType' => 'complete'] : [])];
                } else {
                    $answers[] = $this->mcp->error($m, $r->jsonRpcCode, $r->message, $r->data);
                }
            }
            if ($r->status !== 200 && array_filter($answers) === []) {
                // A refused notification still gets its status (and a body saying why).
                $answers[$at] = $this->mcp->error($in->messages[$at], $r->jsonRpcCode, $r->message, $r->data);
            }
            return $this->mcp->respond($in, $answers, $r->headers, $r->status);
        }
        $body = ['jsonrpc' => '2.0', 'id' => null, 'error' => ['code' => $r->jsonRpcCode, 'message' => $r->message]
            + ($r->data === null ? [] : ['data' => $r->data])];
        return new Response($r->status, $r->headers + ['Content-Type' => 'application/json'], json_encode($body, self::JSON));
    }
}
