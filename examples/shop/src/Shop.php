<?php

declare(strict_types=1);

namespace McpGuard\Examples\Shop;

use McpGuard\Server\Console\CliConfig;
use McpGuard\Server\Console\CliServices;

/**
 * One demo shop's files, all in its data directory (examples/shop/var by
 * default, gitignored):
 *
 *   mcp-guard.php  the `bin/mcp-guard` configuration file, loaded by the
 *                  server too: one database, one token prefix, one audit key
 *   policy.json    the live policy manifest (a copy of examples/shop/policy.json
 *                  that `bin/shop writes on` and `bin/shop tool enable` edit)
 *   shop.sqlite    the shop's tables and mcp_guard's, side by side
 *   secrets.php    the confirmation key (made at setup, never printed)
 *   sessions/      PHP session files of the sign-in and consent pages
 */
final class Shop
{
    public const NAME = 'Demo Shop';
    public const PREFIX = 'shop_';

    private ?CliServices $services = null;

    public function __construct(public readonly string $dir)
    {
    }

    /** The data directory: MCP_GUARD_SHOP_DATA, else examples/shop/var. */
    public static function fromEnvironment(): self
    {
        $dir = getenv('MCP_GUARD_SHOP_DATA');
        return new self(is_string($dir) && $dir !== '' ? rtrim($dir, '/') : dirname(__DIR__) . '/var');
    }

    public function configFile(): string
    {
        return $this->dir . '/mcp-guard.php';
    }

    public function manifestFile(): string
    {
        return $this->dir . '/policy.json';
    }

    public function exists(): bool
    {
        return is_file($this->configFile()) && is_file($this->dir . '/shop.sqlite');
    }

    /** The same stores `bin/mcp-guard --config <dir>/mcp-guard.php` works on. */
    public function services(): CliServices
    {
        return $this->services ??= new CliServices(CliConfig::load($this->configFile()));
    }

    /** The manifest's text (the guard is named after its digest, so an edit reaches every worker). */
    public function manifestText(): string
    {
        $text = file_get_contents($this->manifestFile());
        if ($text === false) {
            throw new \RuntimeException('The policy manifest cannot be read.');
        }
        return $text;
    }

    /** @return array<string, mixed> */
    public function manifest(): array
    {
        return json_decode($this->manifestText(), true, 32, JSON_THROW_ON_ERROR);
    }

    /** @param array<string, mixed> $manifest */
    public function saveManifest(array $manifest): void
    {
        $tmp = $this->manifestFile() . '.' . bin2hex(random_bytes(4));
        file_put_contents($tmp, json_encode($manifest, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR) . "\n");
        rename($tmp, $this->manifestFile()); // atomic: a worker reads the old or the new file, never half of one
    }

    public function confirmationKey(): string
    {
        $secrets = require $this->dir . '/secrets.php';
        return (string) $secrets['confirmationKey'];
    }
}
