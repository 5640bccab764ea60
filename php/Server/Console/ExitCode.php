<?php

declare(strict_types=1);

namespace McpGuard\Server\Console;

/** The exit codes of bin/mcp-guard (docs/cli.md lists them). */
final class ExitCode
{
    /** Done. */
    public const OK = 0;
    /** audit:verify found a broken chain (the report names the first broken row). */
    public const BROKEN = 1;
    /** Bad input: an unknown member, token or client, a malformed or non-UTF-8 argument, an unknown option. */
    public const INVALID = 2;
    /** The configuration file is missing or wrong. */
    public const CONFIG = 3;
    /** The database failed or refused the operation. */
    public const STORAGE = 4;
    /** The operation is not available (no read-only rate-limit query; a build without the audit classes). */
    public const UNSUPPORTED = 5;
    /** Anything else (a bug: the message names the exception's class only). */
    public const INTERNAL = 70;

    private function __construct()
    {
    }
}
