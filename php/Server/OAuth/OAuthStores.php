<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth;

use McpGuard\Server\OAuth\Pdo\PdoAccessTokenStore;
use McpGuard\Server\OAuth\Pdo\PdoClientStore;
use McpGuard\Server\OAuth\Pdo\PdoCodeStore;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;
use McpGuard\Server\OAuth\Pdo\PdoFamilyStore;
use McpGuard\Server\OAuth\Pdo\PdoGrantStore;
use McpGuard\Server\OAuth\Pdo\PdoRefreshTokenStore;
use McpGuard\Server\OAuth\Store\AccessTokenStore;
use McpGuard\Server\OAuth\Store\ClientHousekeeping;
use McpGuard\Server\OAuth\Store\ClientStore;
use McpGuard\Server\OAuth\Store\CodeStore;
use McpGuard\Server\OAuth\Store\FamilyStore;
use McpGuard\Server\OAuth\Store\GrantStore;
use McpGuard\Server\OAuth\Store\RefreshTokenStore;

/** The six stores the endpoints use, as one value; pdo() wires the PDO ones on one database. */
final class OAuthStores
{
    public function __construct(
        public readonly ClientStore&ClientHousekeeping $clients,
        public readonly CodeStore $codes,
        public readonly GrantStore $grants,
        public readonly FamilyStore $families,
        public readonly RefreshTokenStore $refreshTokens,
        public readonly AccessTokenStore $accessTokens,
    ) {
    }

    /** The PDO stores on one database (SQLite or MySQL/MariaDB; run Migrations first). */
    public static function pdo(PdoDatabase $db): self
    {
        return new self(new PdoClientStore($db), new PdoCodeStore($db), new PdoGrantStore($db),
            new PdoFamilyStore($db), new PdoRefreshTokenStore($db), new PdoAccessTokenStore($db));
    }
}
