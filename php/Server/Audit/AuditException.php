<?php

declare(strict_types=1);

namespace McpGuard\Server\Audit;

use McpGuard\Exception\GuardException;

/**
 * An audit event could not be stored (nothing of it was), or a stored chain
 * could not be read. The message is generic; the cause (a PDO or file error)
 * is `getPrevious()`. `errorCode()` is `server_error`.
 */
final class AuditException extends GuardException
{
    public static function appendFailed(?\Throwable $previous = null): self
    {
        return new self('The audit event could not be stored.', 0, $previous);
    }

    public static function unreadable(string $what, ?\Throwable $previous = null): self
    {
        return new self("The audit {$what} could not be read.", 0, $previous);
    }
}
