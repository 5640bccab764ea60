<?php

namespace PrestaShopBundle\Security\Annotation {
    /** The annotation class of PrestaShop 8's admin security (read by its annotation reader; not evaluated here). */
    final class AdminSecurity
    {
    }
}

namespace PrestaShopBundle\Controller\Admin {
    use Symfony\Component\HttpFoundation\RedirectResponse;
    use Symfony\Component\HttpFoundation\Response;

    /**
     * PrestaShop's admin base controller (Symfony's AbstractController
     * underneath): render(), redirectToRoute(), addFlash(). Without Twig and
     * Symfony's router here, render() answers with the template name and its
     * parameters as JSON, and a route's URL is its name.
     */
    class FrameworkBundleAdminController
    {
        /** @var array<string, list<string>> */
        public array $flashes = [];

        protected function render(string $view, array $parameters = [], ?Response $response = null): Response
        {
            return new Response(json_encode(['view' => $view, 'parameters' => $parameters], JSON_THROW_ON_ERROR), 200, ['Content-Type' => 'application/json']);
        }

        protected function redirectToRoute(string $route, array $parameters = [], int $status = 302): RedirectResponse
        {
            return new RedirectResponse('/' . $route, $status);
        }

        protected function addFlash(string $type, $message): void
        {
            $this->flashes[$type][] = $message;
        }
    }
}

namespace PrestaShopBundle\Security\Attribute {
    /** The attribute form of the admin security rule (PrestaShop 9). */
    #[\Attribute(\Attribute::TARGET_CLASS | \Attribute::TARGET_METHOD)]
    final class AdminSecurity
    {
        public function __construct(public string $attribute, public ?string $message = null, public ?string $redirectRoute = null)
        {
        }
    }
}
