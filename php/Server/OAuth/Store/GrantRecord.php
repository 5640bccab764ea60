<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Store;

/**
 * What a member consented to for one client at one redirect URI. A client id
 * shared by every installation (a metadata document URL) has one grant per
 * redirect URI, so one device's re-consent never touches another's.
 */
final class GrantRecord
{
    /**
     * @param string       $clientKey the client's row key (see ClientRecord::$key)
     * @param list<string> $scopes    the scopes granted (at most what the member's role allows)
     */
    public function __construct(
        public readonly string $memberId,
        public readonly string $clientKey,
        public readonly string $redirectUri,
        public readonly array $scopes,
        public readonly int $createdAt,
        public readonly int $updatedAt,
    ) {
        Field::text('member id', $memberId, Field::MEMBER_MAX);
        Field::id('client key', $clientKey, Field::KEY_MAX);
        Field::text('redirect URI', $redirectUri, Field::URL_MAX);
        Field::scopes('grant scope', $scopes);
        Field::time('grant creation time', $createdAt);
        Field::time('grant update time', $updatedAt);
    }
}
