<?php

declare(strict_types=1);

use Illuminate\Support\Facades\Route;
use McpGuard\Server\OAuth\OAuthConfig;
use McpGuard\Statamic\Http\McpController;
use McpGuard\Statamic\Http\Middleware;
use McpGuard\Statamic\Http\OAuthController;

/*
 * The MCP endpoint behind its middlewares in the documented order (each runs
 * one step of the pipeline; the pipeline refuses any other order), the
 * well-known documents, and the OAuth endpoints. Outside the `web` group:
 * no session, no CSRF, no cookies on the MCP endpoint.
 */

$addon = app(McpGuard\Statamic\Addon::class);
if (config('mcp-guard.web.enabled')) {
    Route::match(['GET', 'POST', 'DELETE', 'OPTIONS'], $addon->path(), McpController::class)
        ->middleware(McpGuard\Statamic\ServiceProvider::MIDDLEWARE)
        ->name('mcp-guard.mcp');
}

// RFC 9728 / RFC 8414: the document of the root and of a path (the extension picks which one a path serves).
Route::get('/.well-known/oauth-protected-resource', OAuthController::class);
Route::get('/.well-known/oauth-protected-resource/{path}', OAuthController::class)->where('path', '.*');
if (config('mcp-guard.oauth.enabled')) {
    Route::get('/.well-known/oauth-authorization-server', OAuthController::class);
    Route::get('/.well-known/oauth-authorization-server/{path}', OAuthController::class)->where('path', '.*');
    // The consent page reads the signed-in control-panel user, so it gets Laravel's session (cookies
    // decrypted, session started); not the whole `web` group: its CSRF check would refuse the consent
    // form, which carries the extension's own CSRF token (checked by the authorize endpoint).
    Route::match(['GET', 'POST'], OAuthConfig::PATHS['authorize'], OAuthController::class)
        ->middleware([Illuminate\Cookie\Middleware\EncryptCookies::class, Illuminate\Session\Middleware\StartSession::class]);
    foreach (['token', 'register', 'revoke'] as $name) {
        Route::post(OAuthConfig::PATHS[$name], OAuthController::class);
    }
}
