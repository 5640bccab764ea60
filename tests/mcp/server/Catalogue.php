<?php

declare(strict_types=1);

namespace McpGuard\Tests\Mcp;

use McpGuard\Policy;
use McpGuard\Server\Guard\Confirmation\PresentedConfirmation;
use McpGuard\Server\Mcp\ToolRegistry;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;

/**
 * The test shop's catalogue: products and orders in two tables of the same
 * database, and the four tools the tests call. A stand-in for a shop's own
 * data layer: the handlers only run once the pipeline allowed the call, with
 * the arguments the policy checked.
 */
final class Catalogue
{
    public function __construct(private readonly PdoDatabase $db)
    {
    }

    /** @return array<string, mixed> the policy manifest */
    public static function manifest(bool $writesEnabled): array
    {
        return ['version' => 1, 'writes_enabled' => $writesEnabled, 'tools' => [
            'shop.info' => ['class' => 'read', 'scopes' => ['discover']],
            'products.search' => ['class' => 'read', 'scopes' => ['products:read'],
                'fields' => ['query' => ['type' => 'string', 'max_length' => 100], 'limit' => ['type' => 'integer', 'min' => 1, 'max' => 50]]],
            'products.update' => ['class' => 'write', 'scopes' => ['products:write'], 'fields' => [
                'id' => ['type' => 'integer', 'required' => true, 'min' => 1],
                'name' => ['type' => 'string', 'max_length' => 128],
                'price' => ['type' => 'number', 'min' => 0],
            ]],
            'orders.cancel' => ['class' => 'destructive', 'enabled' => true, 'scopes' => ['orders:write'],
                'fields' => ['id' => ['type' => 'integer', 'required' => true, 'min' => 1]]],
        ]];
    }

    /** Creates and fills the two tables (idempotent). */
    public static function install(PdoDatabase $db): void
    {
        $p = $db->table('products');
        $o = $db->table('orders');
        $db->run("CREATE TABLE IF NOT EXISTS {$p} (id INTEGER PRIMARY KEY, name VARCHAR(128) NOT NULL, price DECIMAL(10,2) NOT NULL, cost_price DECIMAL(10,2) NOT NULL)");
        $db->run("CREATE TABLE IF NOT EXISTS {$o} (id INTEGER PRIMARY KEY, status VARCHAR(16) NOT NULL)");
        $db->run("DELETE FROM {$p}");
        $db->run("DELETE FROM {$o}");
        foreach ([[1, 'Mug', 12.5, 4.1], [2, 'Teapot', 39.0, 15.0], [3, 'Tea towel', 8.0, 2.2]] as $r) {
            $db->run("INSERT INTO {$p} (id, name, price, cost_price) VALUES (?, ?, ?, ?)", $r);
        }
        foreach ([[100, 'paid'], [101, 'paid']] as $r) {
            $db->run("INSERT INTO {$o} (id, status) VALUES (?, ?)", $r);
        }
    }

    public function tools(Policy $policy): ToolRegistry
    {
        $p = $this->db->table('products');
        $o = $this->db->table('orders');
        return (new ToolRegistry($policy))
            ->bind('shop.info', static fn (): array => ['name' => 'Test Shop', 'currency' => 'EUR'], 'The shop\'s name and currency.')
            ->bind('products.search', function (array $a) use ($p): array {
                $st = $this->db->run("SELECT id, name, price FROM {$p} WHERE name LIKE ? ORDER BY id LIMIT " . (int) ($a['limit'] ?? 10),
                    ['%' . ($a['query'] ?? '') . '%']);
                $rows = $st->fetchAll(\PDO::FETCH_ASSOC);
                $st->closeCursor();
                return ['products' => array_map(static fn (array $r): array => ['id' => (int) $r['id'], 'name' => $r['name'], 'price' => (float) $r['price']], $rows)];
            }, 'Finds products by name.', ['type' => 'object', 'properties' => [
                'query' => ['type' => 'string', 'maxLength' => 100], 'limit' => ['type' => 'integer', 'minimum' => 1, 'maximum' => 50]]])
            ->bind('products.update', function (array $a) use ($p): array {
                foreach (['name', 'price'] as $field) {
                    if (array_key_exists($field, $a)) {
                        $this->db->run("UPDATE {$p} SET {$field} = ? WHERE id = ?", [$a[$field], $a['id']]);
                    }
                }
                return ['updated' => $a['id']];
            }, 'Changes a product\'s name or price.', ['type' => 'object', 'required' => ['id'], 'properties' => [
                'id' => ['type' => 'integer', 'minimum' => 1], 'name' => ['type' => 'string', 'maxLength' => 128],
                'price' => ['type' => 'number', 'minimum' => 0]]])
            ->bind('orders.cancel', function (array $a) use ($o): array {
                $this->db->run("UPDATE {$o} SET status = 'cancelled' WHERE id = ?", [$a['id']]);
                return ['cancelled' => $a['id']];
            }, 'Cancels an order (asks for a confirmation first).', PresentedConfirmation::declareIn(['type' => 'object', 'required' => ['id'],
                'properties' => ['id' => ['type' => 'integer', 'minimum' => 1]]]));
    }
}
