<?php

declare(strict_types=1);

namespace McpGuard\Server\Console;

use Symfony\Component\Console\Formatter\OutputFormatter;

/**
 * Stored text made safe to print on the admin's terminal: a token name, a
 * client name or a member id may come from anyone (a client registers its
 * own name), so control characters (escape sequences that could rewrite the
 * screen or the title), invalid UTF-8 and console style tags are shown as
 * plain text, never acted on.
 *
 * @internal
 */
final class Text
{
    private function __construct()
    {
    }

    /**
     * For a plain line: C0/C1 controls, DEL and the bidirectional overrides
     * as `\xNN` escapes of their bytes, invalid UTF-8 as U+FFFD.
     */
    public static function plain(string $s): string
    {
        if (preg_match('//u', $s) !== 1) {
            $s = (string) preg_replace_callback(
                '/([\x00-\x7F]|[\xC2-\xDF][\x80-\xBF]|\xE0[\xA0-\xBF][\x80-\xBF]|[\xE1-\xEC\xEE\xEF][\x80-\xBF]{2}'
                . '|\xED[\x80-\x9F][\x80-\xBF]|\xF0[\x90-\xBF][\x80-\xBF]{2}|[\xF1-\xF3][\x80-\xBF]{3}|\xF4[\x80-\x8F][\x80-\xBF]{2})|./s',
                static fn (array $m): string => ($m[1] ?? '') !== '' ? $m[1] : "\u{FFFD}",
                $s,
            );
        }
        return (string) preg_replace_callback(
            '/[\x00-\x1F\x7F]|[\x{0080}-\x{009F}]|[\x{2028}\x{2029}\x{202A}-\x{202E}\x{2066}-\x{2069}]/u',
            static fn (array $m): string => implode('', array_map(static fn (string $b): string => sprintf('\x%02x', ord($b)), str_split($m[0]))),
            $s,
        );
    }

    /** For the console formatter (tables, messages): plain(), then style tags escaped. */
    public static function display(string $s): string
    {
        return OutputFormatter::escape(self::plain($s));
    }
}
