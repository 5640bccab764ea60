<?php

declare(strict_types=1);

namespace McpGuard\Server\Audit;

use McpGuard\Audit\Event;

/**
 * Where audit events go. The sink links each event into the hash chain
 * (McpGuard\Audit\Chain) and stores the row and the new chain head together.
 */
interface AuditSink
{
    /** @throws AuditException nothing was stored */
    public function append(Event $event): void;
}
