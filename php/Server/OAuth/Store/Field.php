<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Store;

use McpGuard\Exception\InvalidArgumentException;

/**
 * The checks every OAuth row runs on its fields before it can exist, so a
 * store never truncates, mangles or half-writes a value. They are size and
 * alphabet checks only: what a value means (is this redirect URI allowed?) is
 * decided by the extension before a row is built. Messages name the field,
 * never its value.
 *
 * @internal
 */
final class Field
{
    /** Bytes of a client id, redirect URI or resource URL. */
    public const URL_MAX = 2048;
    /** Bytes of a member id (a VARCHAR(191) key in MySQL). */
    public const MEMBER_MAX = 191;
    /** Bytes of a fixed-length key, family id or code challenge. */
    public const KEY_MAX = 128;
    /** Bytes of a hash string the extension produced. */
    public const HASH_MAX = 255;
    /** Bytes of a token's public id. */
    public const PUBLIC_ID_MAX = 64;
    /** Bytes of a stored metadata document or registration. */
    public const JSON_MAX = 65536;
    /** Bytes of a space-separated scope list. */
    public const SCOPE_MAX = 4096;

    private function __construct()
    {
    }

    /** 1..$max bytes of printable ASCII without spaces (ids, keys, hash strings). */
    public static function id(string $field, string $value, int $max): string
    {
        if (strlen($value) > $max || preg_match('/^[\x21-\x7E]+$/D', $value) !== 1) {
            throw self::refused($field);
        }
        return $value;
    }

    /** 1..$max bytes of UTF-8 without control characters (URLs, member ids). */
    public static function text(string $field, string $value, int $max): string
    {
        if ($value === '' || strlen($value) > $max || preg_match('/^[^\x00-\x1F\x7F]+$/Du', $value) !== 1) {
            throw self::refused($field);
        }
        return $value;
    }

    /** Up to JSON_MAX bytes of UTF-8 (stored as given, never parsed here). */
    public static function json(string $field, string $value): string
    {
        if (strlen($value) > self::JSON_MAX || preg_match('//u', $value) !== 1) {
            throw self::refused($field);
        }
        return $value;
    }

    /** A Unix time that is not negative. */
    public static function time(string $field, ?int $value): ?int
    {
        if ($value !== null && $value < 0) {
            throw self::refused($field);
        }
        return $value;
    }

    /**
     * A list of distinct RFC 6749 §3.3 scope tokens, in the given order.
     *
     * @param array<mixed> $scopes
     * @return list<string>
     */
    public static function scopes(string $field, array $scopes): array
    {
        if (!array_is_list($scopes)) {
            throw self::refused($field);
        }
        // The scope grammar is the extension's (RFC 6749 scope-tokens of at
        // most 128 bytes, at most 256 of them), not a second regex here.
        try {
            \McpGuard\Scopes::check($scopes);
        } catch (\McpGuard\Exception\GuardException) {
            throw self::refused($field);
        }
        if (count(array_unique($scopes)) !== count($scopes) || strlen(implode(' ', $scopes)) > self::SCOPE_MAX) {
            throw self::refused($field);
        }
        return $scopes;
    }

    /** @return list<string> */
    public static function splitScopes(string $stored): array
    {
        return $stored === '' ? [] : explode(' ', $stored);
    }

    private static function refused(string $field): InvalidArgumentException
    {
        return new InvalidArgumentException("The {$field} is not acceptable.");
    }
}
