<?php

/*
 * mcp_guard for Statamic. Publish with
 *   php artisan vendor:publish --tag=mcp-guard-config
 * The first four groups use the keys and environment variables of the
 * Statamic MCP addon (config/statamic/mcp.php), so a copied value means the
 * same here; README.md says what each one maps to.
 */

return [
    'web' => [
        'enabled' => env('STATAMIC_MCP_WEB_ENABLED', true),
        'path' => env('STATAMIC_MCP_WEB_PATH', '/mcp/statamic'),
        // false accepts plain HTTP only when the client and the host are both loopback (local development).
        'require_https' => env('STATAMIC_MCP_WEB_REQUIRE_HTTPS', true),
        // Cross origins a browser client may call from (exact scheme://host[:port]); empty = CORS off.
        'allowed_origins' => [],
        // Proxies whose X-Forwarded-* / Forwarded headers are believed (IPs or CIDRs); empty = none.
        'trusted_proxies' => [],
    ],

    'security' => [
        // Always on: this addon serves only the web endpoint, where every request is authenticated.
        'force_web_mode' => env('STATAMIC_MCP_FORCE_WEB_MODE', true),
        // One audit event per request and per admin command, hash-chained, in the database.
        'audit_logging' => env('STATAMIC_MCP_AUDIT_LOGGING', true),
        // The default lifetime of `php artisan mcp-guard:token:create`; the hard cap is the INI
        // setting mcp_guard.max_token_lifetime_days (php.ini, read when PHP starts).
        'max_token_lifetime_days' => env('STATAMIC_MCP_MAX_TOKEN_LIFETIME', 365),
        // Key of the audit chain's MAC (32+ bytes); null = the chain is linked without one.
        'audit_key' => env('MCP_GUARD_AUDIT_KEY'),
        // Key of the destructive-tool confirmations (32+ bytes); null = destructive tools are refused.
        'confirmation_key' => env('MCP_GUARD_CONFIRMATION_KEY'),
    ],

    'rate_limit' => [
        // Requests per minute per token (or per user, for Basic and OAuth).
        'max_attempts' => env('STATAMIC_MCP_RATE_LIMIT_MAX', 60),
        // The other rates of the guard (read, write, destructive, failed): ['limit' => n, 'period' => seconds] or false.
        'rates' => [],
    ],

    'oauth' => [
        'enabled' => env('STATAMIC_MCP_OAUTH_ENABLED', true),
        'code_ttl' => (int) env('STATAMIC_MCP_OAUTH_CODE_TTL', 60),
        'token_ttl' => (int) env('STATAMIC_MCP_OAUTH_TOKEN_TTL', 3600),
        'refresh_token_ttl' => (int) env('STATAMIC_MCP_OAUTH_REFRESH_TOKEN_TTL', 2592000),
    ],

    // The policy manifest (docs/policy.md): a JSON file, or the array itself.
    'policy' => env('MCP_GUARD_POLICY', base_path('mcp-policy.json')),

    // Scope names of the platform => ONE canonical scope each, added to the manifest's `aliases`
    // (docs/policy.md). The Statamic MCP addon's entries:read-style names are canonical already
    // (and cannot be aliased); its `*` (full access) grants nothing until it is listed here,
    // e.g. '*' => 'read'.
    'scope_aliases' => [],

    // The class that binds the tool handlers: implements McpGuard\Statamic\Tools.
    'tools' => null,

    // Tokens made by the Statamic MCP addon before the switch: its `mcp_tokens` rows (the SHA-256 of
    // each token) are accepted as they are, read-only, when enabled. Off by default: turn it on for the
    // migration, add each token's user as a member (mcp-guard:member:add), and turn it off once every
    // client has a token of mcp_guard (those rows may never expire). README.md, "Switching from".
    'legacy_tokens' => [
        'enabled' => (bool) env('MCP_GUARD_LEGACY_TOKENS', false),
        'table' => 'mcp_tokens',
    ],

    // Where mcp_guard keeps its rows: a connection of config/database.php (null = the default one),
    // the tables' prefix, and the token table (the same as bin/mcp-guard's).
    'database' => [
        'connection' => env('MCP_GUARD_DB_CONNECTION'),
        'prefix' => 'mcp_guard_',
        'tokens_table' => 'mcp_guard_tokens',
    ],
];
