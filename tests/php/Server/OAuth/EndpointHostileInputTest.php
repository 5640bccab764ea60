<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

require_once __DIR__ . '/OAuthEndpointTestCase.php';
require_once dirname(__DIR__, 2) . '/Support/HostileInput.php';

use McpGuard\Tests\Support\HostileInput;

/**
 * Every endpoint with every hostile string of the hostile-input table as its
 * body, its query and its Authorization header: always a 4xx answer in the
 * endpoint's own format (JSON for the API endpoints, the HTML page for
 * authorize), never an exception, a 5xx or anything stored.
 */
final class EndpointHostileInputTest extends OAuthEndpointTestCase
{
    /** @return array<string, string> */
    private static function hostileStrings(): array
    {
        // The string rows of HostileInput::values() (built here: that table also holds
        // self-referencing arrays, which PHP itself never frees, and this runs under valgrind).
        $strings = [
            'empty_string' => '',
            'nul' => "\0",
            'nul_inside' => "Bearer a\0b",
            'invalid_utf8' => "\xff\xfe\xc3\x28\xa0\xa1",
            'overlong_utf8' => "\xc0\xaf\xe0\x80\xaf",
            'huge_string' => str_repeat('A', HostileInput::HUGE),
            'huge_binary' => str_repeat("\xff\x00", HostileInput::HUGE / 2),
            'huge_dots' => str_repeat('a.', HostileInput::HUGE / 2),
            'numeric_string' => '99999999999999999999999999',
            'json_deep' => str_repeat('[', HostileInput::DEPTH) . str_repeat(']', HostileInput::DEPTH),
            'json_deep_object' => str_repeat('{"a":', HostileInput::DEPTH) . '1' . str_repeat('}', HostileInput::DEPTH),
        ];
        $strings['form_with_hostile_values'] = "grant_type=authorization_code&code=%FF%FE&client_id=%00&redirect_uri=javascript:x&code_verifier=" . str_repeat('%C0%AF', 100);
        $strings['form_percent_garbage'] = 'grant_type=refresh_token&refresh_token=%zz&client_id=%';
        $strings['json_with_nul'] = "{\"client_name\":\"a\\u0000b\",\"redirect_uris\":[\"https://a.example/\\u0000\"]}";
        $strings['array_params'] = 'client_id[]=x&token[]=y&grant_type[]=z&query[]=1&decision[]=allow';
        return $strings;
    }

    public function testNoHostileInputGetsA5xxOrAnException(): void
    {
        $s = $this->server();
        $before = $this->storedBytes();
        $checked = 0;
        foreach (self::hostileStrings() as $label => $value) {
            foreach (['/oauth/token', '/oauth/register', '/oauth/revoke', '/oauth/authorize', '/.well-known/oauth-authorization-server'] as $path) {
                foreach ([['POST', '', $value, []], ['GET', $value, '', []], ['POST', '', 'token=x&client_id=c', ['Authorization' => $value]]] as [$method, $query, $body, $headers]) {
                    if (isset($headers['Authorization']) && preg_match('/[\x00-\x08\x0A-\x1F\x7F]/', $value) === 1) {
                        continue; // not a value a request header can carry
                    }
                    $r = $this->call($s, $method, $path, $query, $body, $headers, 'alice');
                    $where = "{$label}: {$method} {$path}";
                    self::assertLessThan(500, $r->status, "{$where}: {$r->status} {$r->body}");
                    if ($path !== '/oauth/authorize' && !str_starts_with($path, '/.well-known')) {
                        self::assertSame('application/json', $r->header('Content-Type'), $where);
                        if (strlen($value) > 8) {
                            self::assertStringNotContainsString(substr($value, 0, 64), $r->body, "{$where}: the input is never echoed");
                        }
                    }
                    $checked++;
                }
            }
        }
        self::assertGreaterThan(200, $checked);
        self::assertSame($before, $this->storedBytes(), 'nothing stored half-way');
    }
}
