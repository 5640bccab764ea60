<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Jwt;

/**
 * A signing key for our own authorization server. Its private key never
 * shows in `var_dump` and the object cannot be serialized.
 *
 * Built with generate(), fromPrivateKey(), fromSecret(); `new` is refused.
 */
final class Signer
{
    /**
     * Generates a new key: `ES256` (default), `ES384` or `EdDSA`.
     */
    public static function generate(?string $alg = null): \McpGuard\Jwt\Signer {}

    /**
     * Loads a private key (PKCS#8 PEM or DER; PKCS#1 PEM for RSA).
     */
    public static function fromPrivateKey(string $key, string $alg): \McpGuard\Jwt\Signer {}

    /**
     * An HMAC signing key (`HS256` default; at least 32/48/64 bytes; key
     * material such as a PEM or JWK is refused, `asymmetric_key_as_secret`).
     */
    public static function fromSecret(string $secret, ?string $alg = null, ?string $kid = null): \McpGuard\Jwt\Signer {}

    /**
     * The algorithm.
     */
    public function alg(): string {}

    /**
     * The `kid` (RFC 7638 thumbprint for asymmetric keys).
     */
    public function kid(): ?string {}

    /**
     * The private key as PKCS#8 (or PKCS#1 for a PKCS#1 RSA input) PEM, for
     * the host to store encrypted. Not available for HMAC keys.
     */
    public function privateKeyPem(): string {}

    /**
     * The public JWK as an array (`kty`, …, `kid`, `alg`, `use`).
     */
    public function publicJwk(): array {}

    /**
     * The JWKS document (JSON) publishing this key.
     */
    public function jwks(): string {}

    /**
     * Signs arbitrary claims (an array with string keys) as a compact JWS.
     *
     * @param string|null $typ header `typ`; default `at+jwt`; null = none.
     */
    public function sign(array $claims, ?string $typ = null): string {}

    /**
     * Signs an RFC 9068 access token: `iss`, `sub`, `aud`, `client_id`,
     * `iat`, `exp`, a random `jti`, `scope` when given, then the extra claims
     * (which may not set any of those).
     */
    public function accessToken(string $issuer, string $audience, string $subject, string $clientId, ?int $lifetimeSeconds = null, ?string $scope = null, ?array $extraClaims = null, ?int $now = null): string {}
}
