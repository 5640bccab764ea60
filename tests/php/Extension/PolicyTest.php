<?php

declare(strict_types=1);

namespace McpGuard\Tests\Extension;

use McpGuard\Exception\ConfigurationException;
use McpGuard\Exception\GuardException;
use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Policy;
use McpGuard\Policy\Decision;
use McpGuard\Tests\Support\PhpProcess;
use PHPUnit\Framework\TestCase;

final class PolicyTest extends TestCase
{
    private const EDITOR = ['discover', 'read', 'write'];

    /** @return array<string, mixed> */
    public static function manifest(bool $writes = true): array
    {
        return [
            'version' => 1,
            'writes_enabled' => $writes,
            'forbidden_fields' => ['vat_number'],
            'aliases' => ['shop.catalog' => 'products:write'],
            'roles' => ['catalog' => ['discover', 'read', 'products:write']],
            'tools' => [
                'ping' => ['class' => 'read', 'scopes' => ['discover']],
                'products.search' => [
                    'class' => 'read',
                    'scopes' => ['read'],
                    'fields' => [
                        'query' => ['type' => 'string', 'max_length' => 50],
                        'limit' => ['type' => 'integer', 'min' => 1, 'max' => 100],
                    ],
                ],
                'products.update' => [
                    'class' => 'write',
                    'scopes' => ['products:write'],
                    'fields' => [
                        'id' => ['type' => 'integer', 'min' => 1, 'required' => true],
                        'name' => ['type' => 'string', 'min_length' => 1, 'max_length' => 8],
                        'reference' => ['type' => 'string', 'pattern' => '[A-Z]{2}-[0-9]{3}'],
                        'price' => ['type' => 'number', 'min' => 0],
                        'visible' => ['type' => 'boolean'],
                        'state' => ['type' => 'enum', 'values' => ['draft', 'published']],
                        'tags' => ['type' => 'list', 'items' => ['type' => 'string'], 'max_items' => 3],
                        'note' => ['type' => 'string', 'nullable' => true],
                        'seo' => ['type' => 'object', 'fields' => [
                            'title' => ['type' => 'string', 'required' => true],
                        ]],
                    ],
                ],
                'products.delete' => [
                    'class' => 'destructive',
                    'scopes' => ['write'],
                    'fields' => ['id' => ['type' => 'integer', 'required' => true]],
                ],
                'orders.cancel' => [
                    'class' => 'destructive',
                    'scopes' => ['orders:write'],
                    'enabled' => true,
                    'fields' => ['id' => ['type' => 'integer', 'required' => true]],
                ],
            ],
        ];
    }

    private static function policy(): Policy
    {
        return new Policy(self::manifest());
    }

    private static function refused(string $reason, Decision $d, ?string $path = null): void
    {
        self::assertFalse($d->allowed());
        self::assertSame($reason, $d->reason());
        self::assertSame($path, $d->path());
    }

    public function testAllowsAValidWrite(): void
    {
        $d = self::policy()->authorize(self::EDITOR, 'products.update', [
            'id' => 7, 'name' => 'Mug', 'reference' => 'AB-123', 'price' => 9.5, 'visible' => true,
            'state' => 'draft', 'tags' => ['a', 'b'], 'note' => null, 'seo' => ['title' => 'Mug'],
        ]);
        self::assertTrue($d->allowed());
        self::assertNull($d->reason());
        self::assertNull($d->path());
        self::assertNull($d->expected());
        self::assertSame([], $d->requiredScopes());
        self::assertTrue(self::policy()->authorize(['read'], 'products.search', [])->allowed());
        self::assertTrue(self::policy()->authorize(['read'], 'products.search')->allowed());
    }

    public function testUnknownTool(): void
    {
        $p = self::policy();
        self::refused('unknown_tool', $p->authorize(self::EDITOR, 'products.nuke', []));
        self::refused('unknown_tool', $p->authorize(self::EDITOR, "products.\xff", []));
        self::refused('unknown_tool', $p->authorize(self::EDITOR, '', []));
    }

    public function testInsufficientScopeNamesTheRequiredScopes(): void
    {
        $d = self::policy()->authorize(['discover', 'read'], 'products.update', ['id' => 1]);
        self::refused('insufficient_scope', $d);
        self::assertSame(['products:write'], $d->requiredScopes());
        self::assertSame(['orders:write'], self::policy()->requiredScopes('orders.cancel'));
        // A resource scope does not cover another resource.
        self::refused('insufficient_scope', self::policy()->authorize(['discover', 'products:write'], 'orders.cancel', ['id' => 1]));
    }

    public function testWithoutDiscoverNoToolOutOfReachIsNamed(): void
    {
        // Without discover, tools/list shows nothing, and a tool the caller cannot call is refused
        // exactly like a tool that does not exist: unknown_tool, no scopes.
        $p = self::policy();
        $off = new Policy(self::manifest(false));
        foreach ([[$p, ['read'], 'products.update'], [$p, ['products:write'], 'orders.cancel'], [$p, ['write'], 'products.delete'],
            [$off, ['write'], 'products.update'], [$p, [], 'products.search'], [$p, ['read'], 'nope']] as [$policy, $scopes, $tool]) {
            $d = $policy->authorize($scopes, $tool, ['id' => 1]);
            self::refused('unknown_tool', $d);
            self::assertSame([], $d->requiredScopes(), $tool);
            self::assertSame([], $policy->visibleTools($scopes));
        }
        // With discover the caller gets the real reason.
        self::refused('tool_disabled', $p->authorize(['discover', 'write'], 'products.delete', ['id' => 1]));
        self::refused('writes_disabled', $off->authorize(['discover', 'write'], 'products.update', ['id' => 1]));
        // A tool within reach answers as usual.
        self::assertTrue($p->authorize(['read'], 'products.search', [])->allowed());
        self::refused('missing_field', $p->authorize(['write'], 'products.update', []), '/id');
    }

    public function testRefusalsComeInTheDocumentedOrder(): void
    {
        // The tool-level checks come before any argument is looked at: an oversized, ill-typed or
        // hostile argument never hides them, and the 403 challenge keeps its scopes.
        $p = self::policy();
        $deep = 1;
        for ($i = 0; $i < 100; $i++) {
            $deep = [$deep];
        }
        $hostile = [
            ['name' => str_repeat('x', 70 * 1024)],
            ['id' => 'not an int'],
            ['id' => $deep],
            range(1, 5000),
            ["k\xff" => 1],
            ['id' => new \stdClass()],
            ['password' => 'x'],
        ];
        foreach ($hostile as $n => $args) {
            self::refused('unknown_tool', $p->authorize(self::EDITOR, 'products.nuke', $args));
            $d = $p->authorize(['discover', 'read'], 'products.update', $args);
            self::refused('insufficient_scope', $d);
            self::assertSame(['products:write'], $d->requiredScopes(), (string) $n);
            self::refused('tool_disabled', $p->authorize(self::EDITOR, 'products.delete', $args));
            self::refused('writes_disabled', (new Policy(self::manifest(false)))->authorize(self::EDITOR, 'products.update', $args));
            self::refused('unknown_tool', $p->authorize(['read'], 'products.update', $args));
        }
        // Once the tool may be called: the limits, then the fields.
        self::refused('too_large', $p->authorize(self::EDITOR, 'products.update', ['password' => 'x', 'tags' => $deep]), '/tags/0/0/0/0/0/0/0');
        self::refused('forbidden_field', $p->authorize(self::EDITOR, 'products.update', ['id' => 'x', 'password' => 'x']), '/password');
    }

    public function testWritesAreOffUnlessEnabled(): void
    {
        $p = new Policy(self::manifest(false));
        self::assertFalse($p->writesEnabled());
        self::refused('writes_disabled', $p->authorize(self::EDITOR, 'products.update', ['id' => 1]));
        self::refused('writes_disabled', $p->authorize(self::EDITOR, 'orders.cancel', ['id' => 1]));
        self::assertTrue($p->authorize(self::EDITOR, 'products.search', [])->allowed());

        $m = self::manifest();
        unset($m['writes_enabled']);
        self::refused('writes_disabled', (new Policy($m))->authorize(self::EDITOR, 'products.update', ['id' => 1]));
    }

    public function testDestructiveToolsNeedTheirOwnEnable(): void
    {
        $p = self::policy();
        self::refused('tool_disabled', $p->authorize(self::EDITOR, 'products.delete', ['id' => 1]));
        self::assertTrue($p->authorize(self::EDITOR, 'orders.cancel', ['id' => 1])->allowed());
        $m = self::manifest();
        $m['tools']['products.search']['enabled'] = false;
        self::refused('tool_disabled', (new Policy($m))->authorize(self::EDITOR, 'products.search', []));
    }

    public function testUnknownField(): void
    {
        $p = self::policy();
        self::refused('unknown_field', $p->authorize(self::EDITOR, 'products.update', ['id' => 1, 'colour' => 'red']), '/colour');
        self::refused('unknown_field', $p->authorize(self::EDITOR, 'products.update', ['id' => 1, 'seo' => ['title' => 't', 'x' => 1]]), '/seo/x');
        self::refused('unknown_field', $p->authorize(self::EDITOR, 'products.update', ['id' => 1, 5 => 'x']), '/5');
        self::refused('unknown_field', $p->authorize(['discover'], 'ping', ['anything' => 1]), '/anything');
        // A key that is not UTF-8 is never a field; the path is its object's.
        self::refused('unknown_field', $p->authorize(self::EDITOR, 'products.update', ['id' => 1, "k\xff" => 1]), '');
        self::refused('unknown_field', $p->authorize(self::EDITOR, 'products.update', ['id' => 1, 'seo' => ['title' => 't', "\xff" => 1]]), '/seo');
        self::refused('unknown_field', $p->authorize(self::EDITOR, 'products.update', ["\xff" => 1, 'password' => 'x']), '');
        // A list of values where named arguments are expected.
        self::refused('type_mismatch', $p->authorize(self::EDITOR, 'products.update', [1, 2]), '');
    }

    public function testForbiddenField(): void
    {
        $p = self::policy();
        foreach (['password', 'Password', 'new_password', 'role', 'id_profile', 'is_active', 'isActive', 'active',
            'api_key', 'secret', 'token', 'email', 'passwd', 'role_id', 'vat_number'] as $field) {
            $d = $p->authorize(self::EDITOR, 'products.update', ['id' => 1, $field => 'x']);
            self::refused('forbidden_field', $d, '/' . $field);
            self::assertTrue($p->isForbiddenField($field), $field);
        }
        // Reported before any other mistake, and at any depth.
        self::refused('forbidden_field', $p->authorize(self::EDITOR, 'products.update', ['name' => 5, 'password' => 'x']), '/password');
        self::refused('forbidden_field', $p->authorize(self::EDITOR, 'products.update', ['id' => 1, 'seo' => ['title' => 't', 'role' => 'admin']]), '/seo/role');
        self::assertFalse($p->isForbiddenField('name'));
    }

    public function testShopSecretAndPrivilegeFieldsAreNeverWritable(): void
    {
        // PrestaShop 8/9 Customer, Employee, Address and Statamic user / role fields that hold a
        // secret or grant privilege, spelt as the platforms spell them.
        $names = ['secure_key', 'passwd', 'last_passwd_gen', 'reset_password_token', 'reset_password_validity',
            'id_default_group', 'groupBox', 'is_guest', 'active', 'deleted', 'email', 'outstanding_allow_amount',
            'max_payment_days', 'id_profile', 'super', 'roles', 'groups', 'password', 'password_hash',
            'remember_token', 'email_verified_at', 'two_factor', 'two_factor_secret', 'two_factor_recovery_codes',
            'two_factor_confirmed_at', 'recovery_codes', 'passkeys', 'credential', 'provider_user_id', 'permissions'];
        $p = self::policy();
        foreach ($names as $name) {
            self::assertTrue($p->isForbiddenField($name), $name);
            self::refused('forbidden_field', $p->authorize(self::EDITOR, 'products.update', ['id' => 1, $name => 'x']), '/' . $name);
            $m = self::manifest();
            $m['tools']['products.update']['fields'][$name] = ['type' => 'string'];
            try {
                new Policy($m);
                self::fail("a manifest making $name writable compiled");
            } catch (ConfigurationException $e) {
                self::assertSame('manifest_forbidden_field', $e->reason(), $name);
            }
        }
    }

    public function testTheBuiltInForbiddenListSurvivesAManifestThatTriesToAllowPassword(): void
    {
        $m = self::manifest();
        $m['tools']['products.update']['fields']['password'] = ['type' => 'string'];
        try {
            new Policy($m);
            self::fail('a manifest making password writable compiled');
        } catch (ConfigurationException $e) {
            self::assertSame('manifest_forbidden_field', $e->reason());
            self::assertStringContainsString('/tools/products.update/fields/password', $e->getMessage());
        }
        // No key shrinks the list: an empty forbidden_fields leaves the built-ins, and an
        // invented key is refused.
        $m = self::manifest();
        $m['forbidden_fields'] = [];
        self::refused('forbidden_field', (new Policy($m))->authorize(self::EDITOR, 'products.update', ['id' => 1, 'password' => 'x']), '/password');
        $m['allowed_fields'] = ['password'];
        $this->expectException(ConfigurationException::class);
        new Policy($m);
    }

    public function testTypeMismatchSaysWhatIsExpected(): void
    {
        $p = self::policy();
        $cases = [
            [['id' => '7'], '/id', 'integer(min=1)'],
            [['id' => 0], '/id', 'integer(min=1)'],
            [['id' => 1.0], '/id', 'integer(min=1)'],
            [['id' => null], '/id', 'integer(min=1)'],
            [['id' => 1, 'name' => ''], '/name', 'string(min_length=1,max_length=8)'],
            [['id' => 1, 'name' => 'ééééééééé'], '/name', 'string(min_length=1,max_length=8)'],
            [['id' => 1, 'reference' => 'AB-1234'], '/reference', 'string(pattern)'],
            [['id' => 1, 'price' => -1], '/price', 'number(min=0)'],
            [['id' => 1, 'price' => NAN], '/price', 'number(min=0)'],
            [['id' => 1, 'visible' => 1], '/visible', 'boolean'],
            [['id' => 1, 'state' => 'gone'], '/state', 'enum(draft|published)'],
            [['id' => 1, 'tags' => ['a', 'b', 'c', 'd']], '/tags', 'list<string>(max_items=3)'],
            [['id' => 1, 'tags' => ['a', 7]], '/tags/1', 'string'],
            [['id' => 1, 'tags' => ['x' => 'a']], '/tags', 'list<string>(max_items=3)'],
            [['id' => 1, 'seo' => 'x'], '/seo', 'object'],
            [['id' => 1, 'note' => 5], '/note', 'string|null'],
            [['id' => 1, 'name' => "\xff\xfe"], '/name', 'string'],
            [['id' => 1, 'name' => new \stdClass()], '/name', 'json'],
        ];
        foreach ($cases as [$args, $path, $expected]) {
            $d = $p->authorize(self::EDITOR, 'products.update', $args);
            self::refused('type_mismatch', $d, $path);
            self::assertSame($expected, $d->expected(), $path);
        }
        // Characters, not bytes.
        self::assertTrue($p->authorize(self::EDITOR, 'products.update', ['id' => 1, 'name' => 'éééééééé'])->allowed());
    }

    /** A number field and an integer field with the same bounds, for the bound tests. */
    private static function bounded(array $bounds): Policy
    {
        return new Policy(['version' => 1, 'tools' => ['t' => ['class' => 'read', 'scopes' => ['read'], 'fields' => [
            'n' => ['type' => 'number'] + $bounds,
            'i' => ['type' => 'integer'] + array_filter($bounds, 'is_int'),
        ]]]]);
    }

    public function testNumberBoundsAreComparedExactly(): void
    {
        $ok = static fn (Policy $p, string $f, int|float $v): bool => $p->authorize(['read'], 't', [$f => $v])->allowed();
        $p = self::bounded(['max' => 9007199254740992]);
        foreach (['n', 'i'] as $f) {
            self::assertTrue($ok($p, $f, 9007199254740992), $f);
            self::assertFalse($ok($p, $f, 9007199254740993), $f);
            self::assertFalse($ok($p, $f, PHP_INT_MAX), $f);
        }
        self::assertSame('number(max=9007199254740992)', $p->authorize(['read'], 't', ['n' => 9007199254740993])->expected());
        $p = self::bounded(['min' => -9007199254740992]);
        foreach (['n', 'i'] as $f) {
            self::assertFalse($ok($p, $f, -9007199254740993), $f);
            self::assertTrue($ok($p, $f, -9007199254740992), $f);
        }
        // 1e18 is a float in PHP: the integer 1e18 + 64 rounds onto it as a double, yet is above it.
        $p = self::bounded(['max' => 1e18]);
        self::assertTrue($ok($p, 'n', 1000000000000000000));
        self::assertFalse($ok($p, 'n', 1000000000000000064));
        self::assertFalse($ok($p, 'n', 1000000000000000001));
        // Mixed: an integer against fractional float bounds, a float against integer bounds, -0.0.
        $p = self::bounded(['min' => 0.5, 'max' => 2.5]);
        self::assertFalse($ok($p, 'n', 0));
        self::assertTrue($ok($p, 'n', 1));
        self::assertFalse($ok($p, 'n', 3));
        $p = self::bounded(['min' => 0, 'max' => 0]);
        self::assertTrue($ok($p, 'n', -0.0));
        self::assertFalse($ok($p, 'n', PHP_FLOAT_MIN));
        self::assertFalse($ok($p, 'n', INF));
        self::assertFalse($ok($p, 'i', 0.0));
    }

    public function testNonFiniteOrInvertedNumberBoundsAreRefused(): void
    {
        foreach ([['max' => NAN], ['min' => NAN], ['max' => INF], ['min' => -INF],
            ['min' => 9007199254740993, 'max' => 9007199254740992], ['min' => 1e18, 'max' => 999999999999999999]] as $bounds) {
            try {
                new Policy(['version' => 1, 'tools' => ['t' => ['class' => 'read', 'scopes' => ['read'], 'fields' => [
                    'n' => ['type' => 'number'] + $bounds]]]]);
                self::fail('compiled: ' . json_encode(array_keys($bounds)));
            } catch (ConfigurationException $e) {
                self::assertContains($e->reason(), ['manifest_invalid_value', 'manifest_invalid_limit']);
                self::assertStringContainsString('/tools/t/fields/n/', $e->getMessage());
            }
        }
    }

    public function testMissingField(): void
    {
        $p = self::policy();
        self::refused('missing_field', $p->authorize(self::EDITOR, 'products.update', ['name' => 'x']), '/id');
        self::refused('missing_field', $p->authorize(self::EDITOR, 'products.update', ['id' => 1, 'seo' => []]), '/seo/title');
    }

    public function testTooLarge(): void
    {
        $p = self::policy();
        $d = $p->authorize(self::EDITOR, 'products.update', ['id' => 1, 'name' => str_repeat('x', 10 * 1024 * 1024)]);
        self::refused('too_large', $d, '/name');

        $deep = 1;
        for ($i = 0; $i < 10000; $i++) {
            $deep = [$deep];
        }
        self::refused('too_large', $p->authorize(self::EDITOR, 'products.update', ['id' => 1, 'tags' => $deep]), '/tags/0/0/0/0/0/0/0');

        $self = [];
        $self['x'] = &$self;
        self::assertSame('too_large', $p->authorize(self::EDITOR, 'products.update', $self)->reason());
        unset($self['x']); // break the cycle, or it outlives the test (a leak under valgrind)

        self::assertSame('too_large', $p->authorize(self::EDITOR, 'products.update', range(1, 5000))->reason());
        self::assertSame('too_large', $p->authorize(self::EDITOR, 'products.update', [str_repeat('k', 200) => 1])->reason());

        $m = self::manifest();
        $m['limits'] = ['max_string_bytes' => 4];
        self::refused('too_large', (new Policy($m))->authorize(self::EDITOR, 'products.update', ['id' => 1, 'name' => 'abcde']), '/name');
    }

    public function testRolesAndAliases(): void
    {
        $p = self::policy();
        self::assertSame(['discover', 'read'], $p->scopesForRole('viewer'));
        self::assertSame(['discover', 'read', 'write'], $p->scopesForRole('editor'));
        self::assertSame(['discover', 'read', 'products:write'], $p->scopesForRole('catalog'));
        self::assertSame(['catalog', 'editor', 'viewer'], $p->roles());

        $viewer = $p->scopesForRole('viewer');
        self::assertSame(['ping', 'products.search'], $p->visibleTools($viewer));
        self::refused('insufficient_scope', $p->authorize($viewer, 'products.update', ['id' => 1]));
        self::assertTrue($p->authorize($p->scopesForRole('editor'), 'products.update', ['id' => 1])->allowed());
        self::assertTrue($p->authorize($p->scopesForRole('catalog'), 'products.update', ['id' => 1])->allowed());

        // PrestaShop names.
        self::assertSame(['orders.cancel', 'ping', 'products.search', 'products.update'],
            $p->visibleTools(['mcp.discover', 'mcp.read', 'mcp.write']));
        self::assertTrue($p->authorize(['mcp.read'], 'products.search', [])->allowed());
        // Statamic style resource scopes and a manifest alias.
        self::assertTrue($p->authorize(['products:write'], 'products.update', ['id' => 1])->allowed());
        self::assertTrue($p->authorize(['shop.catalog'], 'products.update', ['id' => 1])->allowed());
        self::assertSame(['entries:read', 'products:write', 'read'],
            $p->canonicalScopes(['mcp.read', 'read', 'entries:read', 'shop.catalog', '*', 'junk']));
        // Wildcards and junk grant nothing; without discover nothing is listed.
        foreach (['*', 'READ', 'admin', 'mcp.*', "read\x00"] as $junk) {
            self::refused('insufficient_scope', $p->authorize(['discover', $junk], 'products.search', []));
            self::refused('unknown_tool', $p->authorize([$junk], 'products.search', []));
        }
        self::assertSame([], $p->visibleTools(['read', 'write']));

        try {
            $p->scopesForRole('root');
            self::fail('unknown role accepted');
        } catch (InvalidArgumentException $e) {
            self::assertSame('unknown_role', $e->reason());
        }
        try {
            $p->requiredScopes('nope');
            self::fail('unknown tool accepted');
        } catch (InvalidArgumentException $e) {
            self::assertSame('unknown_tool', $e->reason());
        }
    }

    public function testScopeArgumentsAreChecked(): void
    {
        $p = self::policy();
        try {
            $p->authorize(['read', 42], 'products.search', []);
            self::fail('a non-string scope was accepted');
        } catch (InvalidArgumentException $e) {
            self::assertSame('invalid_value', $e->reason());
        }
        try {
            $p->authorize(array_fill(0, 1000, 'read'), 'products.search', []);
            self::fail('1000 scopes were accepted');
        } catch (InvalidArgumentException $e) {
            self::assertSame('too_many_scopes', $e->reason());
        }
    }

    /** @return array<string, mixed> the known-answer file shared with tests/policy.rs */
    private static function vectors(): array
    {
        $text = file_get_contents(__DIR__ . '/../../vectors/policy_manifest_errors.json');
        self::assertIsString($text);
        return json_decode($text, true, 512, JSON_THROW_ON_ERROR);
    }

    /** @return iterable<string, array{0: array<string, mixed>}> */
    public static function manifestErrorVectors(): iterable
    {
        $cases = self::vectors()['cases'];
        self::assertGreaterThanOrEqual(60, count($cases), 'the vector file lost cases');
        foreach ($cases as $case) {
            yield $case['name'] => [$case];
        }
    }

    /**
     * Applies one RFC 6902 operation (add, replace, remove; object members and list items).
     *
     * @param array<mixed> $doc
     * @param array{op: string, path: string, value?: mixed} $op
     */
    private static function patch(array &$doc, array $op): void
    {
        $steps = array_map(static fn (string $s): string => str_replace(['~1', '~0'], ['/', '~'], $s),
            array_slice(explode('/', $op['path']), 1));
        $last = array_pop($steps);
        $at = &$doc;
        foreach ($steps as $step) {
            self::assertArrayHasKey($step, $at, $op['path']);
            $at = &$at[$step];
        }
        if ($op['op'] === 'remove') {
            self::assertArrayHasKey($last, $at, $op['path']);
            unset($at[$last]);
        } else {
            self::assertTrue($op['op'] === 'add' || array_key_exists($last, $at), $op['path']);
            $at[$last] = $op['value'];
        }
    }

    private static function assertManifestError(mixed $manifest, string $reason, string $path, string $label): void
    {
        try {
            new Policy($manifest);
            self::fail("$label: the manifest compiled");
        } catch (ConfigurationException $e) {
            self::assertSame($reason, $e->reason(), $label);
            self::assertSame('server_error', $e->errorCode(), $label);
            self::assertStringContainsString('invalid at ' . ($path === '' ? '(root)' : $path) . ':', $e->getMessage(), $label);
        }
    }

    /**
     * @dataProvider manifestErrorVectors
     * @param array<string, mixed> $case
     */
    public function testManifestErrorVectors(array $case): void
    {
        if (isset($case['text'])) {
            self::assertManifestError($case['text'], $case['reason'], $case['path'], 'text');
            return;
        }
        // One change to a base manifest that compiles: the change alone is what is refused.
        $m = self::vectors()['base'];
        self::assertSame(['r', 't'], (new Policy($m))->tools());
        foreach ($case['patch'] as $op) {
            self::patch($m, $op);
        }
        self::assertManifestError($m, $case['reason'], $case['path'], 'array');
        self::assertManifestError(json_encode($m, JSON_THROW_ON_ERROR | JSON_PRESERVE_ZERO_FRACTION), $case['reason'], $case['path'], 'text');
    }

    /** @return iterable<string, array{0: mixed, 1: string, 2: string}> manifests only PHP can build */
    public static function badPhpManifests(): iterable
    {
        yield 'non-utf8 string' => [['version' => 1, 'tools' => ['t' => ['class' => "r\xffead", 'scopes' => ['read']]]], 'manifest_invalid_value', '/tools/t/class'];
        yield 'object in manifest' => [['version' => 1, 'tools' => new \stdClass()], 'manifest_invalid_value', '/tools'];
        yield 'non-utf8 tool name' => [['version' => 1, 'tools' => ["t\xff" => ['class' => 'read', 'scopes' => ['read']]]], 'manifest_invalid_name', '/tools'];
        yield 'non-utf8 field name' => [['version' => 1, 'tools' => ['t' => ['class' => 'read', 'scopes' => ['read'], 'fields' => ["\xc3" => ['type' => 'boolean']]]]], 'manifest_invalid_name', '/tools/t/fields'];
        yield 'non-utf8 top key' => [['version' => 1, 'tools' => [], "\xff" => 1], 'manifest_invalid_name', ''];
        yield 'NAN bound' => [['version' => 1, 'tools' => ['t' => ['class' => 'read', 'scopes' => ['read'], 'fields' => ['n' => ['type' => 'number', 'max' => NAN]]]]], 'manifest_invalid_value', '/tools/t/fields/n/max'];
    }

    /** @dataProvider badPhpManifests */
    public function testManifestCompileErrors(mixed $manifest, string $reason, string $where): void
    {
        self::assertManifestError($manifest, $reason, $where, 'php');
    }

    public function testHugeOrDeepManifestsAreRefused(): void
    {
        $deep = [];
        for ($i = 0; $i < 5000; $i++) {
            $deep = ['x' => $deep];
        }
        foreach ([['version' => 1, 'tools' => $deep], ['version' => 1, 'tools' => [], 'x' => str_repeat('a', 2 << 20)],
            str_repeat('[', 100000)] as $m) {
            try {
                new Policy($m);
                self::fail('compiled');
            } catch (ConfigurationException $e) {
                self::assertContains($e->reason(), ['manifest_too_large', 'manifest_invalid_json']);
            }
        }
        $this->expectException(GuardException::class);
        new Policy(42);
    }

    public function testHugeStringsAreRefusedBeforeTheyAreCopied(): void
    {
        // In a fresh process, so the peak resident size measures this alone: a 64 MiB string
        // in an array manifest, and in a call's arguments, is refused at a length comparison,
        // and the process does not grow by another 64 MiB (a copy, or a digest buffer).
        $code = <<<'PHP'
            $big = str_repeat('a', 64 << 20);
            $out = [];
            $rss = fn (): int => getrusage()['ru_maxrss'];
            $before = $rss();
            try {
                new McpGuard\Policy(['version' => 1, 'tools' => ['t' => ['class' => 'read', 'scopes' => ['read'], 'description' => $big]]]);
                $out[] = 'compiled';
            } catch (McpGuard\Exception\ConfigurationException $e) {
                $out[] = $e->reason();
            }
            $p = new McpGuard\Policy(['version' => 1, 'tools' => ['t' => ['class' => 'read', 'scopes' => ['read'],
                'fields' => ['q' => ['type' => 'string']]]]]);
            $d = $p->authorize(['read'], 't', ['q' => $big]);
            $out[] = $d->reason() . ' ' . $d->path();
            $out[] = $rss() - $before;
            echo json_encode($out);
            PHP;
        $r = PhpProcess::run($code, ['memory_limit' => '512M']);
        self::assertSame('', $r['stderr']);
        self::assertSame(0, $r['exit'], $r['stdout']);
        [$manifest, $args, $grownKib] = json_decode($r['stdout'], true, 512, JSON_THROW_ON_ERROR);
        self::assertSame('manifest_too_large', $manifest);
        self::assertSame('too_large /q', $args);
        self::assertLessThan(8 * 1024, $grownKib, 'the process grew by a copy of the string');
    }

    public function testJsonAndArrayManifestsAgree(): void
    {
        $a = self::policy();
        $j = new Policy(json_encode(self::manifest(), JSON_THROW_ON_ERROR));
        self::assertSame($a->tools(), $j->tools());
        self::assertSame('write', $j->toolClass('products.update'));
        self::assertSame('destructive', $j->toolClass('orders.cancel'));
        self::assertSame(
            $a->authorize(self::EDITOR, 'products.update', ['id' => '1'])->expected(),
            $j->authorize(self::EDITOR, 'products.update', ['id' => '1'])->expected(),
        );
        // The same source hashes the same (the per-worker cache key); another one differs.
        self::assertSame($a->hash(), self::policy()->hash());
        self::assertNotSame($a->hash(), (new Policy(self::manifest(false)))->hash());
        self::assertMatchesRegularExpression('/^[0-9a-f]{64}$/', $a->hash());
    }

    public function testTheManifestCacheNeverMixesPolicies(): void
    {
        // More distinct manifests than the per-worker cache holds (16), twice
        // over: every Policy keeps deciding by its own manifest.
        for ($round = 0; $round < 2; $round++) {
            for ($i = 0; $i < 40; $i++) {
                $m = ['version' => 1, 'tools' => ["tool$i" => ['class' => 'read', 'scopes' => ['read']]]];
                $p = ($i % 2) ? new Policy($m) : new Policy(json_encode($m, JSON_THROW_ON_ERROR));
                self::assertSame(["tool$i"], $p->tools());
                self::assertTrue($p->authorize(['read'], "tool$i")->allowed());
                self::assertSame('unknown_tool', $p->authorize(['read'], 'tool' . ($i + 1))->reason());
            }
        }
        // Int and float, "1" and 1, list and map are different sources.
        $a = new Policy(['version' => 1, 'tools' => [], 'limits' => ['max_depth' => 4]]);
        $b = new Policy(['version' => 1, 'tools' => [], 'limits' => ['max_depth' => 5]]);
        self::assertNotSame($a->hash(), $b->hash());
        $this->expectException(ConfigurationException::class);
        new Policy(['version' => 1, 'tools' => [], 'limits' => ['max_depth' => 4.0]]);
    }

    public function testErrorMessagesNeverEchoValues(): void
    {
        $secret = 'SECRET-VALUE-1234';
        try {
            new Policy(['version' => 1, 'tools' => ['t' => ['class' => $secret, 'scopes' => ['read']]]]);
            self::fail('compiled');
        } catch (ConfigurationException $e) {
            self::assertStringNotContainsString($secret, $e->getMessage());
        }
        $d = self::policy()->authorize(self::EDITOR, 'products.update', ['id' => $secret]);
        self::assertStringNotContainsString($secret, (string) $d->path() . $d->expected() . $d->reason());
    }

    public function testDecisionsCannotBeForgedOrSerialized(): void
    {
        $d = self::policy()->authorize(self::EDITOR, 'products.update', ['id' => 1]);
        self::assertTrue($d->allowed());
        $this->expectException(\Throwable::class);
        new Decision();
    }
}
