<?php
/**
 * Tool policy: McpGuard\Policy::authorize() on a 10-field write against the
 * plain PHP way (in_array scope check + array_diff_key + per-field type
 * checks), in one run. Also: building the Policy from the same manifest array
 * on every request (a per-worker cache hit: walk + hash, no compile).
 *
 *   scripts/php.sh benches/php/policy.php [iterations]
 */

declare(strict_types=1);

if (!extension_loaded('mcp_guard')) {
    fwrite(STDERR, "mcp_guard is not loaded (run through scripts/php.sh)\n");
    exit(2);
}

$n = (int) ($argv[1] ?? 200000);

$fields = [
    'id' => ['type' => 'integer', 'min' => 1, 'required' => true],
    'name' => ['type' => 'string', 'max_length' => 128],
    'reference' => ['type' => 'string', 'max_length' => 64],
    'price' => ['type' => 'number', 'min' => 0],
    'quantity' => ['type' => 'integer', 'min' => 0],
    'visible' => ['type' => 'boolean'],
    'state' => ['type' => 'enum', 'values' => ['draft', 'published', 'archived']],
    'description' => ['type' => 'string', 'max_length' => 4000],
    'weight' => ['type' => 'number', 'min' => 0],
    'tags' => ['type' => 'list', 'items' => ['type' => 'string', 'max_length' => 32], 'max_items' => 10],
];
$manifest = [
    'version' => 1,
    'writes_enabled' => true,
    'tools' => [
        'products.search' => ['class' => 'read', 'scopes' => ['read'],
            'fields' => ['query' => ['type' => 'string', 'max_length' => 200]]],
        'products.update' => ['class' => 'write', 'scopes' => ['products:write'], 'fields' => $fields],
    ],
];
$args = [
    'id' => 42, 'name' => 'Blue mug', 'reference' => 'MUG-42', 'price' => 12.5, 'quantity' => 10,
    'visible' => true, 'state' => 'published', 'description' => 'A blue mug.', 'weight' => 0.3,
    'tags' => ['mug', 'blue'],
];
$scopes = ['discover', 'read', 'write'];

/** The plain PHP way a host would write it (no never-writable list, no depth or size limits). */
function php_authorize(array $tools, array $scopes, string $tool, array $args): ?string
{
    if (!isset($tools[$tool])) {
        return 'unknown_tool';
    }
    $t = $tools[$tool];
    foreach ($t['scopes'] as $need) {
        [$res, $act] = str_contains($need, ':') ? explode(':', $need, 2) : [null, $need];
        if (!in_array($need, $scopes, true) && !($res !== null && in_array($act, $scopes, true))) {
            return 'insufficient_scope';
        }
    }
    if (array_diff_key($args, $t['fields'])) {
        return 'unknown_field';
    }
    foreach ($t['fields'] as $name => $f) {
        if (!array_key_exists($name, $args)) {
            if ($f['required'] ?? false) {
                return 'missing_field';
            }
            continue;
        }
        $v = $args[$name];
        $ok = match ($f['type']) {
            'integer' => is_int($v) && (!isset($f['min']) || $v >= $f['min']) && (!isset($f['max']) || $v <= $f['max']),
            'number' => (is_int($v) || (is_float($v) && is_finite($v)))
                && (!isset($f['min']) || $v >= $f['min']) && (!isset($f['max']) || $v <= $f['max']),
            'string' => is_string($v) && mb_check_encoding($v, 'UTF-8')
                && (!isset($f['max_length']) || mb_strlen($v, 'UTF-8') <= $f['max_length']),
            'boolean' => is_bool($v),
            'enum' => is_string($v) && in_array($v, $f['values'], true),
            'list' => is_array($v) && array_is_list($v) && count($v) <= ($f['max_items'] ?? PHP_INT_MAX)
                && array_reduce($v, fn (bool $c, $i) => $c && is_string($i)
                    && mb_strlen($i, 'UTF-8') <= ($f['items']['max_length'] ?? PHP_INT_MAX), true),
            default => false,
        };
        if (!$ok) {
            return 'type_mismatch';
        }
    }
    return null;
}

$policy = new McpGuard\Policy($manifest);
$tools = $manifest['tools'];
if (!$policy->authorize($scopes, 'products.update', $args)->allowed()
    || php_authorize($tools, $scopes, 'products.update', $args) !== null) {
    fwrite(STDERR, "the payload must be allowed by both\n");
    exit(1);
}

function bench(string $label, int $n, callable $f): float
{
    for ($i = 0; $i < min(1000, $n); $i++) {
        $f();
    }
    $t0 = hrtime(true);
    for ($i = 0; $i < $n; $i++) {
        $f();
    }
    $ns = (hrtime(true) - $t0) / $n;
    printf("  %-58s %9.0f ns/op\n", $label, $ns);
    return $ns;
}

printf("PHP %s, %d iterations\n", PHP_VERSION, $n);
$ext = bench('McpGuard\\Policy::authorize (10 fields)', $n,
    fn () => $policy->authorize($scopes, 'products.update', $args)->allowed());
$php = bench('plain PHP (in_array + array_diff_key + type checks)', $n,
    fn () => php_authorize($tools, $scopes, 'products.update', $args) === null);
printf("  ratio plain PHP / extension: %.2fx\n", $php / $ext);
// A refusal takes the exact path (limits over the whole array, then the fields in order).
$bad = ['weight' => 'heavy'] + $args;
bench('McpGuard\\Policy::authorize refused (exact path)', $n,
    fn () => $policy->authorize($scopes, 'products.update', $bad)->allowed());
$ctor = bench('new McpGuard\\Policy($manifest) (cached: walk + SHA-256)', intdiv($n, 4),
    fn () => new McpGuard\Policy($manifest));
$json = json_encode($manifest, JSON_THROW_ON_ERROR);
bench('new McpGuard\\Policy($json) (cached: SHA-256 of the text)', intdiv($n, 4),
    fn () => new McpGuard\Policy($json));
bench('per request: new Policy($manifest) + authorize', intdiv($n, 4),
    fn () => (new McpGuard\Policy($manifest))->authorize($scopes, 'products.update', $args)->allowed());
