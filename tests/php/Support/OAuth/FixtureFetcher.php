<?php

declare(strict_types=1);

namespace McpGuard\Tests\Support\OAuth;

use McpGuard\Server\OAuth\Client\FetchedDocument;
use McpGuard\Server\OAuth\Client\MetadataDocumentFetcher;
use McpGuard\Server\OAuth\Client\MetadataFetchFailed;

/**
 * The injected fetcher of the endpoint tests (there is no internet here): a
 * JSON file maps a client id URL to `{"body": …, "cacheControl": …}` or
 * `{"fail": "<why>"}`; every fetch appends the URL to `<file>.log`, so a
 * test can count fetches (the cache).
 */
final class FixtureFetcher implements MetadataDocumentFetcher
{
    public function __construct(private readonly string $file)
    {
    }

    /** @param array<string, array{body?: string, cacheControl?: string, fail?: string}> $documents */
    public static function write(string $file, array $documents): void
    {
        file_put_contents($file, json_encode($documents, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES), LOCK_EX);
    }

    /** @return list<string> the URLs fetched so far, in order */
    public static function fetched(string $file): array
    {
        $log = @file_get_contents($file . '.log');
        return is_string($log) && $log !== '' ? explode("\n", rtrim($log, "\n")) : [];
    }

    public function fetch(string $clientId, string $host): FetchedDocument
    {
        file_put_contents($this->file . '.log', $clientId . "\n", FILE_APPEND | LOCK_EX);
        $json = @file_get_contents($this->file);
        $docs = is_string($json) ? json_decode($json, true) : [];
        $doc = is_array($docs) ? ($docs[$clientId] ?? null) : null;
        if (!is_array($doc)) {
            throw MetadataFetchFailed::because('status');
        }
        if (isset($doc['fail'])) {
            throw $doc['fail'] === 'target_refused' ? MetadataFetchFailed::targetRefused() : MetadataFetchFailed::because((string) $doc['fail'], 17);
        }
        return new FetchedDocument((string) $doc['body'], isset($doc['cacheControl']) ? (string) $doc['cacheControl'] : null);
    }
}
