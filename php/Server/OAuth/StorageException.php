<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth;

use McpGuard\Exception\GuardException;

/**
 * The database refused or failed an OAuth storage operation. The message is
 * generic; the driver's own exception (which may quote SQL and stored hash
 * strings, never a secret) is kept as `getPrevious()` for the host's log.
 * `errorCode()` is `server_error`: answer 500 (or 503 when it is transient).
 */
final class StorageException extends GuardException
{
    private string $sqlState = '';

    public static function from(\PDOException $e): self
    {
        $ex = new self('The OAuth storage operation failed.', 0, $e);
        $ex->sqlState = (string) ($e->errorInfo[0] ?? $e->getCode());
        return $ex;
    }

    /** A row with the same key already exists (SQLSTATE 23000). */
    public static function conflict(?\Throwable $previous = null): self
    {
        $ex = new self('The OAuth storage row already exists.', 0, $previous);
        $ex->sqlState = '23000';
        return $ex;
    }

    /** The SQLSTATE the driver reported ('' when unknown). */
    public function sqlState(): string
    {
        return $this->sqlState;
    }

    /** A unique key was violated: the row exists already. */
    public function isConflict(): bool
    {
        return $this->sqlState === '23000';
    }

    /** A deadlock or serialization failure: the transaction may be retried. */
    public function isRetryable(): bool
    {
        return $this->sqlState === '40001';
    }
}
