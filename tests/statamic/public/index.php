<?php

declare(strict_types=1);

/*
 * The stand-in of a Statamic site's public/index.php for the SDK test
 * (tests/statamic/statamic.sh, under php -S): boots the test app of the
 * directory MCPG_STATAMIC_DIR (prepared by Support/prepare.php, its
 * settings in settings.json) and lets Laravel's HTTP kernel serve the request.
 */
require '/usr/share/php/PHPUnit/Autoload.php';
require dirname(__DIR__) . '/bootstrap.php';

use McpGuard\Tests\Statamic\Support\AdapterCase;
use McpGuard\Tests\Statamic\Support\TestApp;

$dir = (string) getenv('MCPG_STATAMIC_DIR');
$s = json_decode((string) file_get_contents($dir . '/settings.json'), true, 64, JSON_THROW_ON_ERROR);
(new TestApp($dir, $s['settings'], AdapterCase::USERS, $s['url']))->serve();
