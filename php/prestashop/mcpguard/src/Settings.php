<?php

declare(strict_types=1);

namespace McpGuard\PrestaShop;

/**
 * The module's settings, in PrestaShop's Configuration (MCPGUARD_*). The
 * secrets (audit-chain key, confirmation key) are made at install from
 * random_bytes; nothing here decides anything with them.
 */
final class Settings
{
    /** Configuration key => value at install. */
    public const DEFAULTS = [
        'MCPGUARD_WRITES' => '0',                 // write tools refused until an admin turns writes on
        'MCPGUARD_OAUTH' => '1',                  // the module's own authorization server (needs friendly URLs)
        'MCPGUARD_BASIC' => '1',                  // the member's token as the Basic password too
        'MCPGUARD_ACCOUNTS_ISSUER' => '',         // PrestaShop Accounts: off while empty
        'MCPGUARD_ACCOUNTS_JWKS_URL' => '',
        'MCPGUARD_ALLOWED_ORIGINS' => '',         // space-separated; empty = no CORS
        'MCPGUARD_TRUSTED_PROXIES' => '',         // space-separated IPs/CIDRs
        'MCPGUARD_RATES' => '',                   // JSON of the guard's `rates`; empty = its defaults
        'MCPGUARD_POLICY' => '',                  // path of the policy manifest; empty = config/policy.json
        'MCPGUARD_HTTP_LOOPBACK' => '0',          // plain HTTP on loopback: local development only
    ];

    public static function install(): bool
    {
        $ok = true;
        // install() runs in the back office: its login page is known here, not in the front office.
        $login = \Context::getContext()->link->getAdminLink('AdminLogin', false);
        foreach (self::DEFAULTS + ['MCPGUARD_AUDIT_KEY' => bin2hex(random_bytes(32)), 'MCPGUARD_CONFIRMATION_KEY' => bin2hex(random_bytes(32)),
            'MCPGUARD_LOGIN_URL' => $login] as $key => $value) {
            $ok = $ok && \Configuration::updateValue($key, $value);
        }
        return $ok;
    }

    public static function uninstall(): bool
    {
        $ok = true;
        foreach ([...array_keys(self::DEFAULTS), 'MCPGUARD_AUDIT_KEY', 'MCPGUARD_CONFIRMATION_KEY', 'MCPGUARD_JWKS_CACHE', 'MCPGUARD_LOGIN_URL'] as $key) {
            $ok = \Configuration::deleteByName($key) && $ok;
        }
        return $ok;
    }

    public static function get(string $key): string
    {
        return (string) \Configuration::get($key, null, null, null, self::DEFAULTS[$key] ?? '');
    }

    /** @return list<string> a space-separated setting */
    public static function list(string $key): array
    {
        return array_values(array_filter(preg_split('/\s+/', self::get($key)) ?: [], 'strlen'));
    }

    public static function flag(string $key): bool
    {
        return self::get($key) === '1';
    }

    public static function tablePrefix(string $dbPrefix = _DB_PREFIX_): string
    {
        return $dbPrefix . 'mcpguard_';
    }

    public static function tokensTable(string $dbPrefix = _DB_PREFIX_): string
    {
        return self::tablePrefix($dbPrefix) . 'tokens';
    }

    public static function policyPath(): string
    {
        return self::get('MCPGUARD_POLICY') ?: dirname(__DIR__) . '/config/policy.json';
    }
}
