<?php

declare(strict_types=1);

namespace McpGuard\Tests\PrestaShop;

use McpGuard\PrestaShop\Controller\Admin\McpGuardController;
use McpGuard\PrestaShop\Services;
use McpGuard\Tests\Support\OAuth\HttpClient;
use PHPUnit\Framework\TestCase;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;

/**
 * The back-office pages, called as PrestaShop's router calls a Symfony
 * admin controller (an HttpFoundation Request in, a Response out; the base
 * controller is the stand-in, whose render() returns the template's
 * parameters as JSON): members, tokens (shown once), rotation, revocation,
 * OAuth clients, the activity view.
 */
final class AdminControllerTest extends TestCase
{
    private static PsShop $shop;

    public static function setUpBeforeClass(): void
    {
        self::$shop = new PsShop();
        self::$shop->start();
    }

    public static function tearDownAfterClass(): void
    {
        self::$shop->destroy();
    }

    protected function onNotSuccessfulTest(\Throwable $t): never
    {
        fwrite(STDERR, "\n--- php -S log\n" . self::$shop->server?->log());
        throw $t;
    }

    /** @return array{0: Response, 1: array<string, list<string>>} */
    private static function act(string $action, array $post = [], array $query = []): array
    {
        $c = new McpGuardController();
        $response = $c->{$action}(new Request($query, $post, [], [], [], ['REQUEST_METHOD' => $post === [] ? 'GET' : 'POST']));
        return [$response, $c->flashes];
    }

    /** @return array<string, mixed> the rendered template's parameters */
    private static function page(Response $r, string $view): array
    {
        $page = json_decode((string) $r->getContent(), true, 32, JSON_THROW_ON_ERROR);
        self::assertSame('@Modules/mcpguard/views/templates/admin/' . $view, $page['view']);
        return $page['parameters'];
    }

    private static function works(string $token): bool
    {
        $r = (new HttpClient((string) self::$shop->server?->origin))->request('POST', '/module/mcpguard/mcp',
            '{"jsonrpc":"2.0","id":1,"method":"tools/list"}', ['Content-Type' => 'application/json', 'Accept' => 'application/json, text/event-stream',
                'Authorization' => 'Bearer ' . $token]);
        return $r['status'] === 200;
    }

    public function testMembersAreAddedWithARoleListedAndRemoved(): void
    {
        [$r, $flashes] = self::act('addMemberAction', ['email' => 'ann@shop.example', 'role' => 'editor', 'name' => 'Ann']);
        self::assertSame(302, $r->getStatusCode());
        self::assertSame('/mcpguard_members', $r->headers->get('Location'));
        self::assertArrayHasKey('success', $flashes, json_encode($flashes));
        [$bad, $badFlashes] = self::act('addMemberAction', ['email' => 'ben@shop.example', 'role' => 'owner', 'name' => '']);
        self::assertArrayHasKey('error', $badFlashes);
        $page = self::page(self::act('membersAction')[0], 'members.html.twig');
        self::assertSame(['ann@shop.example' => 'editor'], array_column($page['members'], 'role', 'id'));
        self::assertSame(['viewer', 'editor'], array_values(array_intersect(['viewer', 'editor'], $page['roles'])));
        self::assertSame('editor', Services::get()->cli()->members()->role('ann@shop.example'));
        [, $removed] = self::act('removeMemberAction', ['email' => 'ann@shop.example']);
        self::assertArrayHasKey('success', $removed);
        self::assertNull(Services::get()->cli()->members()->role('ann@shop.example'));
    }

    public function testATokenIsShownOnceThenListedWithoutItsSecretRotatedAndRevoked(): void
    {
        self::act('addMemberAction', ['email' => 'tom@shop.example', 'role' => 'viewer', 'name' => '']);
        [$created, $flashes] = self::act('createTokenAction', ['email' => 'tom@shop.example', 'name' => 'laptop', 'ttl' => '30d']);
        $token = self::page($created, 'tokens.html.twig')['newToken'];
        self::assertIsString($token);
        self::assertTrue(self::works($token), 'the token shown works');
        self::assertStringNotContainsString($token, json_encode($flashes), 'never in a flash message');
        $list = self::act('tokensAction')[0];
        self::assertStringNotContainsString(substr($token, -20), (string) $list->getContent(), 'never shown again');
        $rows = self::page($list, 'tokens.html.twig')['tokens'];
        $row = array_values(array_filter($rows, static fn (array $t): bool => $t['name'] === 'laptop'))[0];
        self::assertStringContainsString($row['public_id'], $token);
        self::assertArrayNotHasKey('newToken', self::page($list, 'tokens.html.twig'));

        $rotated = self::page(self::act('rotateTokenAction', ['publicId' => $row['public_id']])[0], 'tokens.html.twig')['newToken'];
        self::assertIsString($rotated);
        self::assertNotSame($token, $rotated);
        self::assertTrue(self::works($rotated));
        self::assertTrue(self::works($token), 'the old token works through the overlap');

        [$r, $revoked] = self::act('revokeTokenAction', ['publicId' => $row['public_id']]);
        self::assertSame(302, $r->getStatusCode());
        self::assertArrayHasKey('success', $revoked);
        self::assertFalse(self::works($token));
        self::assertTrue(self::works($rotated), 'the successor is a token of its own');
    }

    public function testNoTokenForSomeoneWhoIsNoMember(): void
    {
        [$r, $flashes] = self::act('createTokenAction', ['email' => 'nobody@shop.example', 'name' => '', 'ttl' => '']);
        self::assertNull(self::page($r, 'tokens.html.twig')['newToken']);
        self::assertArrayHasKey('error', $flashes);
        self::assertSame([], Services::get()->cli()->tokenStore()->forSubject('nobody@shop.example'));
    }

    public function testARegisteredOAuthClientIsListedAndRevokedAndTheActivityViewShowsTheTrail(): void
    {
        $http = new HttpClient((string) self::$shop->server?->origin);
        $reg = $http->request('POST', '/module/mcpguard/oauth/register', json_encode(['client_name' => 'Desk', 'redirect_uris' => ['http://127.0.0.1:9/cb'],
            'token_endpoint_auth_method' => 'none', 'grant_types' => ['authorization_code', 'refresh_token'], 'response_types' => ['code']]),
            ['Content-Type' => 'application/json']);
        self::assertSame(201, $reg['status'], $reg['body']);
        $clientId = json_decode($reg['body'], true)['client_id'];
        $clients = self::page(self::act('clientsAction')[0], 'clients.html.twig')['clients'];
        self::assertContains($clientId, array_column($clients, 'client_id'), json_encode($clients));
        [, $flashes] = self::act('revokeClientAction', ['clientId' => $clientId]);
        self::assertArrayHasKey('success', $flashes, json_encode($flashes));

        $events = self::page(self::act('activityAction', [], ['lines' => '500'])[0], 'activity.html.twig')['events'];
        $types = array_column($events, 'type');
        foreach (['member_added', 'token_issued', 'token_rotated', 'token_revoked', 'client_revoked', 'tool_listed'] as $type) {
            self::assertContains($type, $types, json_encode($types));
        }
        self::assertTrue(Services::get()->cli()->auditLog()->count() > 0);
    }

    public function testTheSettingsPageShowsAndSavesTheModulesSettingsOnly(): void
    {
        $page = self::page(self::act('settingsAction')[0], 'settings.html.twig');
        self::assertSame('1', $page['settings']['MCPGUARD_WRITES'], 'PsShop turned writes on');
        self::assertArrayNotHasKey('MCPGUARD_AUDIT_KEY', $page['settings'], 'no secret on the page');
        self::assertArrayNotHasKey('MCPGUARD_CONFIRMATION_KEY', $page['settings']);
        $key = \Configuration::get('MCPGUARD_AUDIT_KEY');
        [$r] = self::act('saveSettingsAction', ['MCPGUARD_WRITES' => '0', 'MCPGUARD_AUDIT_KEY' => 'x', 'PS_SHOP_NAME' => 'y']);
        self::assertSame('/mcpguard_settings', $r->headers->get('Location'));
        self::assertSame('0', \Configuration::get('MCPGUARD_WRITES'));
        self::assertSame($key, \Configuration::get('MCPGUARD_AUDIT_KEY'), 'only the listed settings');
        self::assertFalse(\Configuration::get('PS_SHOP_NAME'));
        \Configuration::updateValue('MCPGUARD_WRITES', '1');
    }
}
