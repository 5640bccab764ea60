<?php

declare(strict_types=1);

/*
 * ProviderTest's child process: the addon on a Laravel app WITHOUT Statamic
 * (MCPG_WITHOUT_STATAMIC=1: no stand-ins on the autoloader). Prints one JSON
 * line: whether Statamic classes exist, and the statuses of a token request
 * and a Basic request.
 */
require '/usr/share/php/PHPUnit/Autoload.php';
require dirname(__DIR__) . '/bootstrap.php';

use McpGuard\Tests\Statamic\Support\AdapterCase;

$case = new class ('without') extends AdapterCase {
    /** @return array<string, mixed> */
    public function run2(): array
    {
        $this->boot();
        $token = 'Bearer ' . $this->token('u-ed', 'editor', 'discover,entries:read');
        $out = [
            'statamic' => class_exists(\Statamic\Statamic::class) || class_exists(\Statamic\Facades\Permission::class),
            'token' => $this->mcp(['id' => 1, 'method' => 'tools/list'], $token)['status'],
            'basic' => $this->mcp(['id' => 1, 'method' => 'tools/list'], self::basic('ada@example.com', 'correct horse'))['status'],
        ];
        $this->tearDown();
        return $out;
    }
};
echo json_encode($case->run2()), "\n";
