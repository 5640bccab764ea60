<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Consent;

use McpGuard\Exception\InvalidArgumentException;

/** One tool a scope opens, and what it does to the shop (from the policy manifest). */
final class ToolAccess
{
    public const READ = 'read';
    public const WRITE = 'write';
    public const DESTRUCTIVE = 'destructive';

    /** @throws InvalidArgumentException a class other than read, write or destructive */
    public function __construct(public readonly string $name, public readonly string $class)
    {
        if (!in_array($class, [self::READ, self::WRITE, self::DESTRUCTIVE], true)) {
            throw new InvalidArgumentException('A tool class must be read, write or destructive.');
        }
    }
}
