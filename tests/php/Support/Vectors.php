<?php

declare(strict_types=1);

namespace McpGuard\Tests\Support;

/**
 * Reads the known-answer files of tests/vectors/ (format: tests/vectors/README.md),
 * the same files the Rust tests read.
 */
final class Vectors
{
    /** @var array<string, string|null> name => raw value (null: not yet read) */
    private array $fields = [];
    /** @var array<string, true> */
    private array $used = [];

    private function __construct(public readonly string $at)
    {
    }

    /** @return list<self> every test of tests/vectors/$file, in order */
    public static function read(string $file): array
    {
        $path = dirname(__DIR__, 2) . '/vectors/' . $file;
        $lines = file($path, FILE_IGNORE_NEW_LINES);
        if ($lines === false) {
            throw new \RuntimeException("cannot read $path");
        }
        $cases = [];
        $current = null;
        foreach ($lines as $n => $line) {
            $at = $file . ':' . ($n + 1);
            $line = rtrim($line);
            if (str_starts_with($line, '#')) {
                continue;
            }
            if ($line === '') {
                if ($current !== null) {
                    $cases[] = $current;
                }
                $current = null;
                continue;
            }
            $pos = strpos($line, ' = ');
            if ($pos === false) {
                throw new \UnexpectedValueException("$at: expected `Name = value`");
            }
            $current ??= new self($at);
            $name = substr($line, 0, $pos);
            if (array_key_exists($name, $current->fields)) {
                throw new \UnexpectedValueException("$at: $name twice in one test");
            }
            $current->fields[$name] = substr($line, $pos + 3);
        }
        if ($current !== null) {
            $cases[] = $current;
        }
        if ($cases === []) {
            throw new \UnexpectedValueException("$file: no tests");
        }
        return $cases;
    }

    private function raw(string $name): ?string
    {
        if (!array_key_exists($name, $this->fields)) {
            return null;
        }
        $this->used[$name] = true;
        return $this->fields[$name];
    }

    public function kind(): string
    {
        return $this->text('Test');
    }

    public function has(string $name): bool
    {
        return $this->raw($name) !== null;
    }

    /** A bare value as text; null when absent. */
    public function text(string $name): ?string
    {
        $v = $this->raw($name);
        if ($v !== null && str_starts_with($v, '"')) {
            throw new \UnexpectedValueException("{$this->at}: $name must be bare");
        }
        return $v;
    }

    public function int(string $name): ?int
    {
        $v = $this->text($name);
        if ($v === null) {
            return null;
        }
        if (preg_match('/^-?[0-9]+$/D', $v) !== 1) {
            throw new \UnexpectedValueException("{$this->at}: $name is not an integer");
        }
        return (int) $v;
    }

    /** Bytes: a quoted value unescaped, a bare value as hex; null when absent. */
    public function bytes(string $name): ?string
    {
        $v = $this->raw($name);
        if ($v === null) {
            return null;
        }
        if (!str_starts_with($v, '"')) {
            $bin = strlen($v) % 2 === 0 ? hex2bin($v) : false;
            if ($bin === false) {
                throw new \UnexpectedValueException("{$this->at}: $name is not hex");
            }
            return $bin;
        }
        if (strlen($v) < 2 || !str_ends_with($v, '"')) {
            throw new \UnexpectedValueException("{$this->at}: unterminated string");
        }
        $inner = substr($v, 1, -1);
        $out = '';
        for ($i = 0, $n = strlen($inner); $i < $n; $i++) {
            if ($inner[$i] !== '\\') {
                $out .= $inner[$i];
                continue;
            }
            $e = $inner[++$i] ?? '';
            $out .= match ($e) {
                'n' => "\n",
                'r' => "\r",
                't' => "\t",
                '0' => "\0",
                '\\' => '\\',
                '"' => '"',
                'x' => $this->hexByte(substr($inner, ($i += 2) - 1, 2)),
                default => throw new \UnexpectedValueException("{$this->at}: unknown escape"),
            };
        }
        return $out;
    }

    private function hexByte(string $pair): string
    {
        if (strlen($pair) !== 2 || !ctype_xdigit($pair)) {
            throw new \UnexpectedValueException("{$this->at}: bad \\x escape");
        }
        return chr((int) hexdec($pair));
    }

    /**
     * Marks fields as deliberately not driven by this runner (a kind only the
     * Rust core can run); they still count as read for finish().
     */
    public function skip(string ...$names): void
    {
        foreach ($names as $name) {
            if (!array_key_exists($name, $this->fields)) {
                throw new \UnexpectedValueException("{$this->at}: no $name to skip");
            }
            $this->used[$name] = true;
        }
    }

    /** Every field must have been read: a misspelt name fails instead of skipping a check. */
    public function finish(): void
    {
        $unused = array_diff(array_keys($this->fields), array_keys($this->used));
        if ($unused !== []) {
            throw new \UnexpectedValueException("{$this->at}: fields not used: " . implode(', ', $unused));
        }
    }

    /** $bytes with byte $i XOR 0x01: the tampered copies a runner checks too. */
    public static function flip(string $bytes, int $i): string
    {
        $bytes[$i] = chr(ord($bytes[$i]) ^ 0x01);
        return $bytes;
    }
}
