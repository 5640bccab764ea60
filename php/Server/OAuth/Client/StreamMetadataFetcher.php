<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Client;

use McpGuard\Exception\OAuthException;
use McpGuard\OAuth\ClientMetadata;

/**
 * The default MetadataDocumentFetcher, on PHP streams only (no curl):
 *
 *  1. resolves the host (A and AAAA) and asks ClientMetadata::fetchTargetAllowed()
 *     about EVERY address: one refused address refuses the fetch, so a name
 *     that also points into the shop's own network is never fetched;
 *  2. connects to a checked address itself (never to the name again), then
 *     starts TLS with SNI and certificate verification against the host name,
 *     so a second DNS answer (rebinding) cannot move the connection;
 *  3. sends one GET, follows no redirect (any status but 200 is a failure),
 *     and stops at ClientMetadata::fetchTimeoutSeconds() for the whole fetch
 *     and at ClientMetadata::maxDocumentBytes() of body.
 *
 * The client id was accepted by ClientMetadata::documentHost() (an https URL
 * with a host, a path, no query, fragment or userinfo), so what is left here
 * is to split it at the first '/' after the scheme.
 */
final class StreamMetadataFetcher implements MetadataDocumentFetcher
{
    private const HEADER_MAX = 16384;

    /**
     * @param (\Closure(string): list<string>)|null $resolve host => its addresses; null = the system resolver
     * @param string|null                           $caFile  CA bundle for verification; null = the system's
     */
    public function __construct(
        private readonly ?\Closure $resolve = null,
        private readonly ?string $caFile = null,
        private readonly string $userAgent = 'mcp_guard (client metadata fetch)',
    ) {
    }

    public function fetch(string $clientId, string $host): FetchedDocument
    {
        // Host, port, authority and path come from the extension's reading
        // of the client id, never from PHP string surgery on it.
        try {
            $target = ClientMetadata::documentTarget($clientId);
        } catch (OAuthException) {
            throw MetadataFetchFailed::because('bad_authority');
        }
        if ($target['host'] !== strtolower($host)) {
            throw MetadataFetchFailed::because('bad_authority');
        }
        ['port' => $port, 'authority' => $authority, 'path' => $path] = $target;

        $addresses = $this->addresses($host);
        if ($addresses === []) {
            throw MetadataFetchFailed::because('dns');
        }
        foreach ($addresses as $ip) {
            if (!ClientMetadata::fetchTargetAllowed($ip)) {
                throw MetadataFetchFailed::targetRefused();
            }
        }
        $deadline = microtime(true) + ClientMetadata::fetchTimeoutSeconds();
        $failure = MetadataFetchFailed::because('connect');
        foreach ($addresses as $ip) {
            try {
                return $this->fetchFrom($ip, $port, trim($host, '[]'), $authority, $path, $deadline);
            } catch (MetadataFetchFailed $e) {
                if ($e->why() !== 'connect') {
                    throw $e;
                }
                $failure = $e;
            }
        }
        throw $failure;
    }

    /** @return list<string> */
    private function addresses(string $host): array
    {
        $literal = trim($host, '[]');
        if (filter_var($literal, FILTER_VALIDATE_IP) !== false) {
            return [$literal];
        }
        if ($this->resolve !== null) {
            return array_values(array_filter(($this->resolve)($host), 'is_string'));
        }
        $found = [];
        $records = @dns_get_record($host, DNS_A | DNS_AAAA);
        foreach (is_array($records) ? $records : [] as $r) {
            $ip = $r['ip'] ?? $r['ipv6'] ?? null;
            if (is_string($ip)) {
                $found[] = $ip;
            }
        }
        if ($found === []) {
            $v4 = @gethostbynamel($host);
            $found = is_array($v4) ? $v4 : [];
        }
        return array_values(array_unique($found));
    }

    private function fetchFrom(string $ip, int $port, string $peerName, string $authority, string $path, float $deadline): FetchedDocument
    {
        $ssl = ['peer_name' => $peerName, 'verify_peer' => true, 'verify_peer_name' => true, 'allow_self_signed' => false,
            'SNI_enabled' => true, 'disable_compression' => true];
        if ($this->caFile !== null) {
            $ssl['cafile'] = $this->caFile;
        }
        $context = stream_context_create(['ssl' => $ssl]);
        $target = 'tcp://' . (str_contains($ip, ':') ? "[{$ip}]" : $ip) . ':' . $port;
        $stream = @stream_socket_client($target, $errno, $errstr, self::left($deadline), STREAM_CLIENT_CONNECT, $context);
        if (!is_resource($stream)) {
            throw MetadataFetchFailed::because('connect');
        }
        try {
            self::timeout($stream, $deadline);
            if (@stream_socket_enable_crypto($stream, true, STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT | STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT) !== true) {
                throw MetadataFetchFailed::because('tls');
            }
            $request = "GET {$path} HTTP/1.1\r\nHost: {$authority}\r\nAccept: application/json\r\n"
                . "Accept-Encoding: identity\r\nUser-Agent: {$this->userAgent}\r\nConnection: close\r\n\r\n";
            if (@fwrite($stream, $request) !== strlen($request)) {
                throw MetadataFetchFailed::because('write');
            }
            return self::readResponse($stream, ClientMetadata::maxDocumentBytes(), $deadline);
        } finally {
            fclose($stream);
        }
    }

    /**
     * Reads one HTTP/1.x response from `$stream`: status 200 only (a 3xx is
     * `redirect`, never followed), body at most `$maxBytes` (identity,
     * Content-Length or chunked), all before `$deadline` (microtime).
     *
     * @internal public for the tests (they feed it a memory stream)
     * @param resource $stream
     * @throws MetadataFetchFailed
     */
    public static function readResponse($stream, int $maxBytes, float $deadline): FetchedDocument
    {
        $raw = '';
        while (($end = strpos($raw, "\r\n\r\n")) === false) {
            if (strlen($raw) > self::HEADER_MAX) {
                throw MetadataFetchFailed::because('header_too_large');
            }
            $raw .= self::chunk($stream, $deadline);
        }
        $lines = explode("\r\n", substr($raw, 0, $end));
        $body = substr($raw, $end + 4);
        if (preg_match('#^HTTP/1\.[01] ([0-9]{3})(?: |$)#', (string) array_shift($lines), $m) !== 1) {
            throw MetadataFetchFailed::because('malformed_response');
        }
        $status = (int) $m[1];
        if ($status !== 200) {
            throw MetadataFetchFailed::because($status >= 300 && $status < 400 ? 'redirect' : 'status');
        }
        $headers = [];
        foreach ($lines as $line) {
            $colon = strpos($line, ':');
            if ($colon === false || $colon === 0) {
                throw MetadataFetchFailed::because('malformed_response');
            }
            $name = strtolower(substr($line, 0, $colon));
            $value = trim(substr($line, $colon + 1));
            $headers[$name] = isset($headers[$name]) ? $headers[$name] . ', ' . $value : $value;
        }
        $chunked = isset($headers['transfer-encoding']);
        if ($chunked && strtolower($headers['transfer-encoding']) !== 'chunked') {
            throw MetadataFetchFailed::because('encoding');
        }
        $length = null;
        if (!$chunked && isset($headers['content-length'])) {
            if (preg_match('/^[0-9]{1,10}$/D', $headers['content-length']) !== 1) {
                throw MetadataFetchFailed::because('malformed_response');
            }
            $length = (int) $headers['content-length'];
            if ($length > $maxBytes) {
                throw MetadataFetchFailed::because('too_large');
            }
        }
        // Chunk framing adds a few bytes per chunk: read a bounded amount more, decode, check again.
        $cap = $chunked ? 2 * $maxBytes + 1024 : $maxBytes;
        while (!feof($stream) && ($length === null || strlen($body) < $length)) {
            if (strlen($body) > $cap) {
                throw MetadataFetchFailed::because('too_large');
            }
            $body .= self::chunk($stream, $deadline, true);
        }
        if ($chunked) {
            $body = self::dechunk($body);
        } elseif ($length !== null) {
            if (strlen($body) < $length) {
                throw MetadataFetchFailed::because('truncated');
            }
            $body = substr($body, 0, $length);
        }
        if (strlen($body) > $maxBytes) {
            throw MetadataFetchFailed::because('too_large');
        }
        return new FetchedDocument($body, $headers['cache-control'] ?? null);
    }

    /** @param resource $stream */
    private static function chunk($stream, float $deadline, bool $eofOk = false): string
    {
        self::timeout($stream, $deadline);
        $data = fread($stream, 8192);
        if (stream_get_meta_data($stream)['timed_out'] || microtime(true) > $deadline) {
            throw MetadataFetchFailed::because('timeout');
        }
        if ($data === false || ($data === '' && feof($stream) && !$eofOk)) {
            throw MetadataFetchFailed::because('truncated');
        }
        return $data;
    }

    private static function dechunk(string $body): string
    {
        $out = '';
        $at = 0;
        while (true) {
            $eol = strpos($body, "\r\n", $at);
            if ($eol === false || preg_match('/^([0-9A-Fa-f]{1,8})(;[^\r\n]*)?$/D', substr($body, $at, $eol - $at), $m) !== 1) {
                throw MetadataFetchFailed::because('malformed_response');
            }
            $size = (int) hexdec($m[1]);
            if ($size === 0) {
                return $out;
            }
            if (strlen($body) < $eol + 2 + $size + 2 || substr($body, $eol + 2 + $size, 2) !== "\r\n") {
                throw MetadataFetchFailed::because('truncated');
            }
            $out .= substr($body, $eol + 2, $size);
            $at = $eol + 2 + $size + 2;
        }
    }

    private static function left(float $deadline): float
    {
        return max(0.001, $deadline - microtime(true));
    }

    /** @param resource $stream */
    private static function timeout($stream, float $deadline): void
    {
        $left = self::left($deadline);
        stream_set_timeout($stream, (int) $left, (int) (($left - (int) $left) * 1e6));
    }
}
