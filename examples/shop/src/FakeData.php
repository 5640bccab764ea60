<?php

declare(strict_types=1);

namespace McpGuard\Examples\Shop;

/**
 * Fake but plausible shop data, the same on every machine: a seeded
 * Mersenne Twister (PHP's mt_rand), which is fine for made-up products and
 * never used for anything secret. Emails are under example.com (RFC 2606).
 */
final class FakeData
{
    public const SEED = 20261202;
    private const ADJECTIVES = ['Classic', 'Rustic', 'Nordic', 'Coastal', 'Vintage', 'Modern', 'Handmade', 'Organic', 'Compact', 'Deluxe', 'Everyday', 'Alpine'];
    private const MATERIALS = ['Oak', 'Walnut', 'Linen', 'Cotton', 'Ceramic', 'Stoneware', 'Copper', 'Wool', 'Bamboo', 'Glass', 'Leather', 'Steel'];
    private const ITEMS = ['Mug', 'Teapot', 'Cutting Board', 'Tea Towel', 'Cushion', 'Vase', 'Lamp', 'Blanket', 'Bowl', 'Tray', 'Candle Holder', 'Notebook', 'Apron', 'Coaster Set', 'Wall Clock'];
    private const FIRST = ['Ana', 'Ben', 'Chloé', 'David', 'Elif', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kaito', 'Lena', 'Mateo', 'Nora', 'Oskar', 'Priya', 'Quentin', 'Rosa', 'Samir', 'Tess'];
    private const LAST = ['Martin', 'Novak', 'García', 'Schmidt', 'Rossi', 'Dubois', 'Kowalski', 'Jensen', 'Silva', 'Okafor', 'Yilmaz', 'Tanaka', 'Müller', 'Moreau', 'Lindqvist'];
    private const CITIES = ['Lyon', 'Porto', 'Leipzig', 'Bologna', 'Gent', 'Malmö', 'Kraków', 'Bilbao', 'Utrecht', 'Graz'];
    private const STATUSES = ['pending', 'paid', 'paid', 'paid', 'shipped', 'shipped', 'delivered', 'delivered', 'delivered', 'cancelled'];

    /**
     * @return array{products: list<array<string, mixed>>, customers: list<array<string, mixed>>,
     *               orders: list<array<string, mixed>>, lines: list<array<string, mixed>>}
     */
    public static function generate(int $products = 300, int $customers = 120, int $orders = 400): array
    {
        mt_srand(self::SEED, MT_RAND_MT19937);
        $p = [];
        $names = [];
        for ($id = 1; count($p) < $products; $id++) {
            $name = self::pick(self::ADJECTIVES) . ' ' . self::pick(self::MATERIALS) . ' ' . self::pick(self::ITEMS);
            if (isset($names[$name])) {
                $name .= ' No. ' . $id;
            }
            $names[$name] = true;
            $price = mt_rand(400, 18000); // cents
            $p[] = [
                'id' => $id,
                'sku' => sprintf('SKU-%05d', 10000 + $id * 7),
                'name' => $name,
                'description' => "{$name}. Made to last; ships within " . mt_rand(1, 5) . ' working days.',
                'price_cents' => $price,
                'cost_cents' => intdiv($price * mt_rand(35, 60), 100),
                'stock' => mt_rand(0, 9) === 0 ? 0 : mt_rand(1, 250),
            ];
        }
        $c = [];
        for ($id = 1; $id <= $customers; $id++) {
            $first = self::pick(self::FIRST);
            $last = self::pick(self::LAST);
            $c[] = [
                'id' => $id,
                'name' => "{$first} {$last}",
                'email' => strtolower(self::ascii($first) . '.' . self::ascii($last)) . $id . '@example.com',
                'city' => self::pick(self::CITIES),
            ];
        }
        $o = [];
        $lines = [];
        $day = 86400;
        $start = 1767225600; // 2026-01-01T00:00:00Z
        for ($id = 1; $id <= $orders; $id++) {
            $total = 0;
            $count = mt_rand(1, 4);
            for ($i = 0; $i < $count; $i++) {
                $product = $p[mt_rand(0, $products - 1)];
                $qty = mt_rand(1, 3);
                $lines[] = ['order_id' => 1000 + $id, 'product_id' => $product['id'], 'quantity' => $qty, 'price_cents' => $product['price_cents']];
                $total += $qty * $product['price_cents'];
            }
            $o[] = [
                'id' => 1000 + $id,
                'customer_id' => mt_rand(1, $customers),
                'status' => self::pick(self::STATUSES),
                'placed_at' => gmdate('Y-m-d\TH:i:s\Z', $start + intdiv($id * 300 * $day, $orders) + mt_rand(0, $day - 1)),
                'total_cents' => $total,
            ];
        }
        return ['products' => $p, 'customers' => $c, 'orders' => $o, 'lines' => $lines];
    }

    /** @param list<string> $from */
    private static function pick(array $from): string
    {
        return $from[mt_rand(0, count($from) - 1)];
    }

    private static function ascii(string $s): string
    {
        return strtr($s, ['é' => 'e', 'í' => 'i', 'ü' => 'u', 'ö' => 'o', 'ç' => 'c']);
    }
}
