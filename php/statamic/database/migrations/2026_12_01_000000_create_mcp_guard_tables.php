<?php

declare(strict_types=1);

use Illuminate\Database\Migrations\Migration;
use McpGuard\Server\OAuth\Pdo\Migrations;
use McpGuard\Server\Token\PdoTokenStore;
use McpGuard\Statamic\Addon;

/*
 * mcp_guard's tables on the addon's connection: the glue's one migration list
 * (prefixed tables: members, OAuth, audit, confirmations) and the token table,
 * the same schema `bin/mcp-guard` creates.
 */
return new class extends Migration {
    public function up(): void
    {
        $addon = app(Addon::class);
        (new Migrations($addon->database()))->up();
        (new PdoTokenStore($addon->connection()->getPdo(), (string) config('mcp-guard.database.tokens_table')))->createTable();
    }

    public function down(): void
    {
        $addon = app(Addon::class);
        (new Migrations($addon->database()))->down(0);
        $addon->connection()->getSchemaBuilder()->dropIfExists((string) config('mcp-guard.database.tokens_table'));
    }
};
