<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Jwt;

/**
 * A set of verification keys, each pinned to one algorithm. Built from a
 * JWKS document, a public key PEM or an HMAC secret; parsed sets are cached
 * per worker by the SHA-256 of their source.
 *
 * Built with fromJwks(), fromPem(), fromSecret(); `new` is refused.
 */
final class KeySet
{
    /**
     * From a JWKS document (`{"keys":[…]}`) or one JWK.
     *
     * @param string|null $alg pins keys without a JWK `alg`; null = such keys are refused.
     * @param bool $allowSecretKeys accept `oct` keys (never in a published JWKS; even then a
     *   document mixing `oct` and public keys is refused, `mixed_key_types`).
     * @throws \McpGuard\Exception\ConfigurationException weak/unsupported/private keys, missing
     *   alg or kid, an EC/Ed25519 key that is no valid point (`invalid_key`), a secret that is key
     *   material (`asymmetric_key_as_secret`), mixed secret and public keys (`mixed_key_types`).
     */
    public static function fromJwks(string $jwks, ?string $alg = null, ?bool $allowSecretKeys = null): \McpGuard\Jwt\KeySet {}

    /**
     * From a public key PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`). An EC point
     * not on its curve, or an Ed25519 key that is no valid point, is refused
     * here (`invalid_key`), not on the first token.
     */
    public static function fromPem(string $pem, string $alg, ?string $kid = null): \McpGuard\Jwt\KeySet {}

    /**
     * From an HMAC secret (at least as long as the hash: 32/48/64 bytes).
     *
     * @throws \McpGuard\Exception\ConfigurationException `weak_hmac_key`; `asymmetric_key_as_secret`
     *   when the secret is key material (a PEM, JWK/JWKS, SSH key, DER, EC point): a public key
     *   as an HMAC secret lets anyone forge tokens (CVE-2017-11424).
     */
    public static function fromSecret(string $secret, ?string $alg = null, ?string $kid = null): \McpGuard\Jwt\KeySet {}

    /**
     * Number of keys.
     */
    public function count(): int {}

    /**
     * The keys as `[['kid' => ?string, 'alg' => string], …]`.
     */
    public function keys(): array {}

    /**
     * Empties this worker's key-set cache.
     */
    public static function clearCache(): void {}

    /**
     * This worker's cache counters: `entries`, `bytes`, `hits`, `misses`.
     */
    public static function cacheStats(): array {}
}
