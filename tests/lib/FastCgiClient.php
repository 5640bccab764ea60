<?php

declare(strict_types=1);

namespace McpGuard\Tests\Lib;

/**
 * A minimal FastCGI client (the responder role of the FastCGI 1.0
 * specification) for the php-fpm tests and benchmarks: one connection kept
 * open across requests (FCGI_KEEP_CONN), so a benchmark measures php-fpm and
 * not the cost of starting a client process per request.
 */
final class FastCgiClient
{
    private const BEGIN_REQUEST = 1;
    private const END_REQUEST = 3;
    private const PARAMS = 4;
    private const STDIN = 5;
    private const STDOUT = 6;
    private const STDERR = 7;
    private const KEEP_CONN = 1;

    /** @var resource|null */
    private $socket = null;

    public function __construct(private readonly string $address)
    {
    }

    /**
     * @param array<string, string> $params CGI parameters (SCRIPT_FILENAME, REQUEST_METHOD, HTTP_*, …)
     * @return array{status: int, headers: array<string, string>, body: string, stderr: string}
     */
    public function request(array $params, string $body = ''): array
    {
        $s = $this->socket ??= $this->connect();
        $params += ['REQUEST_METHOD' => 'GET', 'SERVER_PROTOCOL' => 'HTTP/1.1', 'GATEWAY_INTERFACE' => 'CGI/1.1',
            'CONTENT_LENGTH' => (string) strlen($body)];
        $out = self::record(self::BEGIN_REQUEST, pack('nCx5', 1, self::KEEP_CONN));
        $pairs = '';
        foreach ($params as $k => $v) {
            $pairs .= self::length(strlen($k)) . self::length(strlen($v)) . $k . $v;
        }
        foreach (str_split($pairs, 65535) as $chunk) {
            $out .= $chunk === '' ? '' : self::record(self::PARAMS, $chunk);
        }
        $out .= self::record(self::PARAMS, '');
        foreach ($body === '' ? [] : str_split($body, 65535) as $chunk) {
            $out .= self::record(self::STDIN, $chunk);
        }
        $out .= self::record(self::STDIN, '');
        fwrite($s, $out);
        $stdout = $stderr = '';
        while (true) {
            $h = self::read($s, 8);
            $r = unpack('Cversion/Ctype/nid/nlength/Cpadding', $h);
            $content = self::read($s, $r['length']);
            self::read($s, $r['padding']);
            if ($r['type'] === self::STDOUT) {
                $stdout .= $content;
            } elseif ($r['type'] === self::STDERR) {
                $stderr .= $content;
            } elseif ($r['type'] === self::END_REQUEST) {
                break;
            }
        }
        [$head, $payload] = array_pad(explode("\r\n\r\n", $stdout, 2), 2, '');
        $headers = [];
        $status = 200;
        foreach (explode("\r\n", $head) as $line) {
            [$name, $value] = array_map('trim', explode(':', $line, 2) + [1 => '']);
            $name = strtolower($name);
            if ($name === 'status') {
                $status = (int) $value;
            } elseif ($name !== '') {
                $headers[$name] = isset($headers[$name]) ? $headers[$name] . ', ' . $value : $value;
            }
        }
        return ['status' => $status, 'headers' => $headers, 'body' => $payload, 'stderr' => $stderr];
    }

    public function close(): void
    {
        if ($this->socket !== null) {
            fclose($this->socket);
            $this->socket = null;
        }
    }

    /** @return resource */
    private function connect()
    {
        $s = @stream_socket_client($this->address, $errno, $error, 5.0);
        if ($s === false) {
            throw new \RuntimeException("cannot connect to {$this->address}: {$error}");
        }
        stream_set_timeout($s, 30);
        return $s;
    }

    private static function record(int $type, string $content): string
    {
        $pad = (8 - strlen($content) % 8) % 8;
        return pack('CCnnCx', 1, $type, 1, strlen($content), $pad) . $content . str_repeat("\0", $pad);
    }

    private static function length(int $n): string
    {
        return $n < 128 ? chr($n) : pack('N', $n | 0x80000000);
    }

    /** @param resource $s */
    private static function read($s, int $n): string
    {
        $data = '';
        while (strlen($data) < $n) {
            $chunk = fread($s, $n - strlen($data));
            if ($chunk === false || ($chunk === '' && feof($s))) {
                throw new \RuntimeException('php-fpm closed the connection');
            }
            $data .= $chunk;
        }
        return $data;
    }
}
