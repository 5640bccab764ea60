<?php

declare(strict_types=1);

namespace McpGuard\PrestaShop\Controller\Admin;

use McpGuard\PrestaShop\AdminConsole;
use McpGuard\PrestaShop\Services;
use McpGuard\PrestaShop\Settings;
use PrestaShopBundle\Controller\Admin\FrameworkBundleAdminController;
use PrestaShopBundle\Security\Annotation\AdminSecurity;
use PrestaShopBundle\Security\Attribute\AdminSecurity as AdminSecurityAttribute;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;

/**
 * The back-office pages (Configure > MCP Guard): members, tokens, OAuth
 * clients, activity, settings. Each action runs the matching `bin/mcp-guard` command
 * (AdminConsole) and shows its result; PrestaShop's admin firewall, its
 * `_token` on every admin URL and the tab permissions below guard the pages
 * (the `@AdminSecurity` annotation for PrestaShop 8, the attribute for 9).
 */
final class McpGuardController extends FrameworkBundleAdminController
{
    private const VIEWS = '@Modules/mcpguard/views/templates/admin/';

    /** @AdminSecurity("is_granted('read', request.get('_legacy_controller'))") */
    #[AdminSecurityAttribute("is_granted('read', request.get('_legacy_controller'))")]
    public function membersAction(): Response
    {
        return $this->render(self::VIEWS . 'members.html.twig', [
            'members' => AdminConsole::rows(['command' => 'member:list']),
            'roles' => Services::get()->cli()->roles(),
        ]);
    }

    /** @AdminSecurity("is_granted('create', request.get('_legacy_controller'))") */
    #[AdminSecurityAttribute("is_granted('create', request.get('_legacy_controller'))")]
    public function addMemberAction(Request $request): Response
    {
        return $this->done(AdminConsole::run(['command' => 'member:add', 'id' => (string) $request->request->get('email'),
            '--role' => (string) $request->request->get('role'), '--name' => (string) $request->request->get('name')]), 'mcpguard_members');
    }

    /** @AdminSecurity("is_granted('delete', request.get('_legacy_controller'))") */
    #[AdminSecurityAttribute("is_granted('delete', request.get('_legacy_controller'))")]
    public function removeMemberAction(Request $request): Response
    {
        return $this->done(AdminConsole::run(['command' => 'member:remove', 'id' => (string) $request->request->get('email')]), 'mcpguard_members');
    }

    /** @AdminSecurity("is_granted('read', request.get('_legacy_controller'))") */
    #[AdminSecurityAttribute("is_granted('read', request.get('_legacy_controller'))")]
    public function tokensAction(): Response
    {
        return $this->render(self::VIEWS . 'tokens.html.twig', ['tokens' => AdminConsole::rows(['command' => 'token:list'])]);
    }

    /**
     * The new token is shown once, on the page this request renders (never
     * in a flash message, a redirect or a log).
     *
     * @AdminSecurity("is_granted('create', request.get('_legacy_controller'))")
     */
    #[AdminSecurityAttribute("is_granted('create', request.get('_legacy_controller'))")]
    public function createTokenAction(Request $request): Response
    {
        $ttl = (string) $request->request->get('ttl');
        $r = AdminConsole::run(['command' => 'token:create', 'member' => (string) $request->request->get('email'),
            '--name' => (string) $request->request->get('name')] + ($ttl === '' ? [] : ['--ttl' => $ttl]));
        return $this->shown($r);
    }

    /** @AdminSecurity("is_granted('update', request.get('_legacy_controller'))") */
    #[AdminSecurityAttribute("is_granted('update', request.get('_legacy_controller'))")]
    public function rotateTokenAction(Request $request): Response
    {
        return $this->shown(AdminConsole::run(['command' => 'token:rotate', 'publicId' => (string) $request->request->get('publicId')]));
    }

    /** @AdminSecurity("is_granted('delete', request.get('_legacy_controller'))") */
    #[AdminSecurityAttribute("is_granted('delete', request.get('_legacy_controller'))")]
    public function revokeTokenAction(Request $request): Response
    {
        return $this->done(AdminConsole::run(['command' => 'token:revoke', 'publicId' => (string) $request->request->get('publicId')]), 'mcpguard_tokens');
    }

    /** @AdminSecurity("is_granted('read', request.get('_legacy_controller'))") */
    #[AdminSecurityAttribute("is_granted('read', request.get('_legacy_controller'))")]
    public function clientsAction(): Response
    {
        return $this->render(self::VIEWS . 'clients.html.twig', ['clients' => AdminConsole::rows(['command' => 'client:list'])]);
    }

    /** @AdminSecurity("is_granted('delete', request.get('_legacy_controller'))") */
    #[AdminSecurityAttribute("is_granted('delete', request.get('_legacy_controller'))")]
    public function revokeClientAction(Request $request): Response
    {
        return $this->done(AdminConsole::run(['command' => 'client:revoke', 'client' => (string) $request->request->get('clientId')]), 'mcpguard_clients');
    }

    /** @AdminSecurity("is_granted('read', request.get('_legacy_controller'))") */
    #[AdminSecurityAttribute("is_granted('read', request.get('_legacy_controller'))")]
    public function activityAction(Request $request): Response
    {
        return $this->render(self::VIEWS . 'activity.html.twig', [
            'events' => AdminConsole::rows(['command' => 'audit:tail', '--lines' => (string) max(1, min(500, (int) $request->query->get('lines', 50)))]),
        ]);
    }

    /** @AdminSecurity("is_granted('read', request.get('_legacy_controller'))") */
    #[AdminSecurityAttribute("is_granted('read', request.get('_legacy_controller'))")]
    public function settingsAction(): Response
    {
        return $this->render(self::VIEWS . 'settings.html.twig', ['settings' => array_map(
            static fn (string $key): string => Settings::get($key), array_combine(array_keys(Settings::DEFAULTS), array_keys(Settings::DEFAULTS)))]);
    }

    /**
     * Saves the settings of Settings::DEFAULTS that the form sends (nothing
     * else: the keys are not taken from the request).
     *
     * @AdminSecurity("is_granted('update', request.get('_legacy_controller'))")
     */
    #[AdminSecurityAttribute("is_granted('update', request.get('_legacy_controller'))")]
    public function saveSettingsAction(Request $request): Response
    {
        foreach (array_keys(Settings::DEFAULTS) as $key) {
            $value = $request->request->get($key);
            if (is_string($value)) {
                \Configuration::updateValue($key, trim($value));
            }
        }
        $this->addFlash('success', 'Settings saved.');
        return $this->redirectToRoute('mcpguard_settings');
    }

    /** @param array{ok: bool, output: string, message: string} $r */
    private function done(array $r, string $route): Response
    {
        $this->addFlash($r['ok'] ? 'success' : 'error', $r['message']);
        return $this->redirectToRoute($route);
    }

    /** @param array{ok: bool, output: string, message: string} $r */
    private function shown(array $r): Response
    {
        $this->addFlash($r['ok'] ? 'success' : 'error', $r['message']);
        return $this->render(self::VIEWS . 'tokens.html.twig', ['tokens' => AdminConsole::rows(['command' => 'token:list']),
            'newToken' => $r['ok'] ? trim($r['output']) : null]);
    }
}
