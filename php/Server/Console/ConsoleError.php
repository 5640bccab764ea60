<?php

declare(strict_types=1);

namespace McpGuard\Server\Console;

/**
 * A refusal of the admin CLI: one line for stderr and its exit code. The
 * message never carries a secret (no token, no password, no pepper).
 */
final class ConsoleError extends \RuntimeException
{
    private function __construct(string $message, private readonly int $exitCode, ?\Throwable $previous = null)
    {
        parent::__construct($message, 0, $previous);
    }

    public static function invalid(string $message, ?\Throwable $previous = null): self
    {
        return new self($message, ExitCode::INVALID, $previous);
    }

    public static function config(string $message, ?\Throwable $previous = null): self
    {
        return new self($message, ExitCode::CONFIG, $previous);
    }

    public static function storage(string $message, ?\Throwable $previous = null): self
    {
        return new self($message, ExitCode::STORAGE, $previous);
    }

    public static function unsupported(string $message): self
    {
        return new self($message, ExitCode::UNSUPPORTED);
    }

    public function exitCode(): int
    {
        return $this->exitCode;
    }
}
