<?php

declare(strict_types=1);

namespace McpGuard\Tests\Statamic\Support;

use McpGuard\Server\Guard\Confirmation\PresentedConfirmation;
use McpGuard\Server\Mcp\ToolRegistry;
use McpGuard\Statamic\Tools;

/**
 * The tests' tools: Statamic-style entries kept in a table of the app's
 * database, so a test sees whether a handler ran.
 */
final class EntryTools implements Tools
{
    /** @return array<string, mixed> */
    public static function manifest(bool $writes): array
    {
        return ['version' => 1, 'writes_enabled' => $writes, 'tools' => [
            'entries.list' => ['class' => 'read', 'scopes' => ['entries:read'],
                'fields' => ['collection' => ['type' => 'string', 'max_length' => 64]]],
            'entries.update' => ['class' => 'write', 'scopes' => ['entries:write'], 'fields' => [
                'id' => ['type' => 'string', 'required' => true, 'max_length' => 64], 'title' => ['type' => 'string', 'max_length' => 200]]],
            'entries.delete' => ['class' => 'destructive', 'enabled' => true, 'scopes' => ['entries:write'],
                'fields' => ['id' => ['type' => 'string', 'required' => true, 'max_length' => 64]]],
        ]];
    }

    public function bind(ToolRegistry $tools): ToolRegistry
    {
        $db = app('db')->connection();
        return $tools
            ->bind('entries.list', static fn (array $a): array => ['entries' => $db->table('entries')->orderBy('id')->get(['id', 'title'])
                ->map(static fn ($r): array => (array) $r)->all()], 'Lists entries.')
            ->bind('entries.update', static function (array $a) use ($db): array {
                $db->table('entries')->where('id', $a['id'])->update(['title' => $a['title'] ?? '']);
                return ['updated' => $a['id']];
            }, 'Changes an entry\'s title.', ['type' => 'object', 'required' => ['id'],
                'properties' => ['id' => ['type' => 'string'], 'title' => ['type' => 'string']]])
            ->bind('entries.delete', static function (array $a) use ($db): array {
                $db->table('entries')->where('id', $a['id'])->delete();
                return ['deleted' => $a['id']];
            }, 'Deletes an entry (asks for a confirmation first).', PresentedConfirmation::declareIn(['type' => 'object',
                'required' => ['id'], 'properties' => ['id' => ['type' => 'string']]]));
    }
}
