<?php

declare(strict_types=1);

namespace McpGuard\Examples\Shop;

use McpGuard\Policy;
use McpGuard\Server\Guard\Confirmation\PresentedConfirmation;
use McpGuard\Server\Mcp\Caller;
use McpGuard\Server\Mcp\ToolRegistry;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;

/**
 * The shop's own data layer and its six MCP tools. The tables live in the
 * same SQLite file as mcp_guard's (members, tokens, OAuth, audit), under the
 * same prefix. A handler runs only once the pipeline allowed the call, with
 * arguments the policy checked (types, bounds, no undeclared field), so it
 * only translates them into SQL, always with bound parameters.
 */
final class Catalog
{
    public function __construct(private readonly PdoDatabase $db)
    {
    }

    /** Creates the shop's tables and fills them with the generated data (a fresh shop). */
    public static function install(PdoDatabase $db): void
    {
        [$p, $c, $o, $l] = [$db->table('products'), $db->table('customers'), $db->table('orders'), $db->table('order_lines')];
        $db->run("CREATE TABLE {$p} (id INTEGER PRIMARY KEY, sku VARCHAR(16) NOT NULL UNIQUE, name VARCHAR(128) NOT NULL,
            description TEXT NOT NULL, price_cents INTEGER NOT NULL, cost_cents INTEGER NOT NULL, stock INTEGER NOT NULL)");
        $db->run("CREATE TABLE {$c} (id INTEGER PRIMARY KEY, name VARCHAR(128) NOT NULL, email VARCHAR(190) NOT NULL, city VARCHAR(64) NOT NULL)");
        $db->run("CREATE TABLE {$o} (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, status VARCHAR(16) NOT NULL,
            placed_at VARCHAR(20) NOT NULL, total_cents INTEGER NOT NULL)");
        $db->run("CREATE TABLE {$l} (order_id INTEGER NOT NULL, product_id INTEGER NOT NULL, quantity INTEGER NOT NULL, price_cents INTEGER NOT NULL)");
        $data = FakeData::generate();
        $db->transaction(static function () use ($db, $data, $p, $c, $o, $l): void {
            foreach (['products' => $p, 'customers' => $c, 'orders' => $o, 'lines' => $l] as $set => $table) {
                foreach ($data[$set] as $row) {
                    $cols = implode(', ', array_keys($row));
                    $marks = implode(', ', array_fill(0, count($row), '?'));
                    $db->run("INSERT INTO {$table} ({$cols}) VALUES ({$marks})", array_values($row));
                }
            }
        });
    }

    /** Binds a handler to each tool of the manifest. */
    public function tools(Policy $policy): ToolRegistry
    {
        $id = ['type' => 'integer', 'minimum' => 1];
        return (new ToolRegistry($policy))
            ->bind('catalog_search', fn (array $a): array => $this->search((string) ($a['query'] ?? ''), (int) ($a['limit'] ?? 10)),
                'Finds products whose name or SKU contains the query; price in EUR, stock in units.',
                ['type' => 'object', 'properties' => ['query' => ['type' => 'string', 'maxLength' => 100],
                    'limit' => ['type' => 'integer', 'minimum' => 1, 'maximum' => 50]]], 'Search the catalogue')
            ->bind('product_get', fn (array $a): array => $this->product((int) $a['id']),
                'One product by id: name, SKU, price (EUR), stock and description.',
                ['type' => 'object', 'required' => ['id'], 'properties' => ['id' => $id]], 'Get a product')
            ->bind('order_status', fn (array $a): array => $this->order((int) $a['id']),
                'An order by number (1001 and up): status, date, total and lines.',
                ['type' => 'object', 'required' => ['id'], 'properties' => ['id' => $id]], 'Order status')
            ->bind('customer_lookup', fn (array $a): array => $this->customers($a),
                'Customers by id, or by a part of their name or email (at most 10). Editors only.',
                ['type' => 'object', 'properties' => ['id' => $id, 'query' => ['type' => 'string', 'minLength' => 2, 'maxLength' => 100]]],
                'Look up a customer')
            ->bind('product_update', fn (array $a): array => $this->update($a),
                'Changes a product\'s name, price (EUR), description or stock. Nothing else can be written.',
                ['type' => 'object', 'required' => ['id'], 'properties' => ['id' => $id,
                    'name' => ['type' => 'string', 'minLength' => 1, 'maxLength' => 128],
                    'price' => ['type' => 'number', 'minimum' => 0, 'maximum' => 100000],
                    'description' => ['type' => 'string', 'maxLength' => 2000],
                    'stock' => ['type' => 'integer', 'minimum' => 0, 'maximum' => 1000000]]], 'Update a product')
            ->bind('order_cancel', fn (array $a, Caller $caller): array => $this->cancel((int) $a['id']),
                'Cancels an order and puts its items back in stock. The first call returns a confirmation; '
                . 'call again with the same arguments and that confirmation to cancel.',
                PresentedConfirmation::declareIn(['type' => 'object', 'required' => ['id'], 'properties' => ['id' => $id]]), 'Cancel an order');
    }

    /** @return array<string, mixed> */
    private function search(string $query, int $limit): array
    {
        $p = $this->db->table('products');
        $like = '%' . strtr($query, ['\\' => '\\\\', '%' => '\\%', '_' => '\\_']) . '%';
        $rows = $this->all("SELECT id, sku, name, price_cents, stock FROM {$p} WHERE name LIKE ? ESCAPE '\\' OR sku LIKE ? ESCAPE '\\' ORDER BY id LIMIT {$limit}", [$like, $like]);
        return ['query' => $query, 'products' => array_map(self::productRow(...), $rows)];
    }

    /** @return array<string, mixed> */
    private function product(int $id): array
    {
        $row = $this->db->row('SELECT id, sku, name, price_cents, stock, description FROM ' . $this->db->table('products') . ' WHERE id = ?', [$id]);
        return $row === null ? ['found' => false, 'id' => $id] : ['found' => true] + self::productRow($row) + ['description' => $row['description']];
    }

    /** @return array<string, mixed> */
    private function order(int $id): array
    {
        $row = $this->db->row('SELECT id, status, placed_at, total_cents FROM ' . $this->db->table('orders') . ' WHERE id = ?', [$id]);
        if ($row === null) {
            return ['found' => false, 'id' => $id];
        }
        $lines = $this->all('SELECT l.product_id, p.name, l.quantity, l.price_cents FROM ' . $this->db->table('order_lines') . ' l JOIN '
            . $this->db->table('products') . ' p ON p.id = l.product_id WHERE l.order_id = ? ORDER BY l.rowid', [$id]);
        return ['found' => true, 'id' => (int) $row['id'], 'status' => $row['status'], 'placedAt' => $row['placed_at'],
            'total' => (int) $row['total_cents'] / 100, 'currency' => 'EUR',
            'lines' => array_map(static fn (array $l): array => ['productId' => (int) $l['product_id'], 'name' => $l['name'],
                'quantity' => (int) $l['quantity'], 'price' => (int) $l['price_cents'] / 100], $lines)];
    }

    /**
     * @param array<string, mixed> $a
     * @return array<string, mixed>
     */
    private function customers(array $a): array
    {
        $c = $this->db->table('customers');
        if (isset($a['id'])) {
            $rows = $this->all("SELECT id, name, email, city FROM {$c} WHERE id = ?", [$a['id']]);
        } else {
            $like = '%' . strtr((string) ($a['query'] ?? ''), ['\\' => '\\\\', '%' => '\\%', '_' => '\\_']) . '%';
            $rows = $this->all("SELECT id, name, email, city FROM {$c} WHERE name LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\' ORDER BY id LIMIT 10", [$like, $like]);
        }
        return ['customers' => array_map(static fn (array $r): array => ['id' => (int) $r['id']] + $r, $rows)];
    }

    /**
     * @param array<string, mixed> $a checked by the policy: id plus any of name, price, description, stock
     * @return array<string, mixed>
     */
    private function update(array $a): array
    {
        $p = $this->db->table('products');
        $set = [];
        $values = [];
        foreach (['name' => 'name', 'description' => 'description', 'stock' => 'stock', 'price' => 'price_cents'] as $field => $column) {
            if (array_key_exists($field, $a)) {
                $set[] = "{$column} = ?";
                $values[] = $field === 'price' ? (int) round($a['price'] * 100) : $a[$field];
            }
        }
        if ($set !== []) {
            $values[] = $a['id'];
            $this->db->run("UPDATE {$p} SET " . implode(', ', $set) . ' WHERE id = ?', $values)->closeCursor();
        }
        return $this->product((int) $a['id']) + ['updated' => array_values(array_diff(array_keys($a), ['id']))];
    }

    /** @return array<string, mixed> */
    private function cancel(int $id): array
    {
        $o = $this->db->table('orders');
        return $this->db->transaction(function () use ($id, $o): array {
            $row = $this->db->row("SELECT status FROM {$o} WHERE id = ?", [$id]);
            if ($row === null) {
                return ['cancelled' => false, 'id' => $id, 'why' => 'no such order'];
            }
            if (!in_array($row['status'], ['pending', 'paid'], true)) {
                return ['cancelled' => false, 'id' => $id, 'why' => "the order is {$row['status']}"];
            }
            $this->db->run("UPDATE {$o} SET status = 'cancelled' WHERE id = ?", [$id])->closeCursor();
            $lines = $this->all('SELECT product_id, quantity FROM ' . $this->db->table('order_lines') . ' WHERE order_id = ?', [$id]);
            foreach ($lines as $line) {
                $this->db->run('UPDATE ' . $this->db->table('products') . ' SET stock = stock + ? WHERE id = ?',
                    [(int) $line['quantity'], (int) $line['product_id']])->closeCursor();
            }
            return ['cancelled' => true, 'id' => $id];
        });
    }

    /**
     * @param list<mixed> $params
     * @return list<array<string, mixed>>
     */
    private function all(string $sql, array $params): array
    {
        $st = $this->db->run($sql, $params);
        $rows = $st->fetchAll(\PDO::FETCH_ASSOC);
        $st->closeCursor();
        return $rows;
    }

    /**
     * @param array<string, mixed> $r
     * @return array<string, mixed>
     */
    private static function productRow(array $r): array
    {
        return ['id' => (int) $r['id'], 'sku' => $r['sku'], 'name' => $r['name'], 'price' => (int) $r['price_cents'] / 100,
            'currency' => 'EUR', 'stock' => (int) $r['stock']];
    }
}
