<?php
// PIE reads composer.json: a php-ext package whose extension is mcp_guard and
// whose phpize build lives in pie/ (the same build tests/install/phpize.sh runs).
declare(strict_types=1);

$root = dirname(__DIR__, 2);
$json = json_decode((string) file_get_contents("$root/composer.json"), true, 512, JSON_THROW_ON_ERROR);
$fail = [];
($json['type'] ?? null) === 'php-ext' || $fail[] = 'type must be php-ext';
($json['php-ext']['extension-name'] ?? null) === 'mcp_guard' || $fail[] = 'php-ext.extension-name must be mcp_guard';
$bp = $json['php-ext']['build-path'] ?? null;
$bp === 'pie' || $fail[] = 'php-ext.build-path must be pie';
is_file("$root/pie/config.m4") || $fail[] = 'pie/config.m4 missing';
is_file("$root/pie/Makefile.frag") || $fail[] = 'pie/Makefile.frag missing';
str_contains((string) file_get_contents("$root/pie/config.m4"), 'PHP_ARG_ENABLE([mcp_guard]')
    || $fail[] = 'config.m4 must define --enable-mcp_guard';
if ($fail) {
    fwrite(STDERR, implode("\n", $fail) . "\n");
    exit(1);
}
echo "composer.json: php-ext mcp_guard, build-path pie\n";
