<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Pdo;

use McpGuard\Server\OAuth\Store\CodeRecord;
use McpGuard\Server\OAuth\Store\CodeRedemption;
use McpGuard\Server\OAuth\Store\CodeStore;
use McpGuard\Server\OAuth\Store\Field;

/** CodeStore on PDO (table `<prefix>codes`). */
final class PdoCodeStore implements CodeStore
{
    private const COLUMNS = 'code_hash, family_id, client_id, redirect_uri, code_challenge, scope, resource, member_id, created_at, expires_at, consumed_at';

    private readonly string $t;

    public function __construct(private readonly PdoDatabase $db)
    {
        $this->t = $db->table('codes');
    }

    public function save(CodeRecord $r): void
    {
        Rows::insert($this->db, $this->t, self::COLUMNS, [
            $r->codeHash, $r->familyId, $r->clientId, $r->redirectUri, $r->challenge, implode(' ', $r->scopes),
            $r->resource, $r->memberId, $r->createdAt, $r->expiresAt, $r->consumedAt,
        ]);
    }

    public function consume(string $codeHash, int $now): CodeRedemption
    {
        // The one decision the database makes: whoever flips consumed_at from NULL wins.
        $won = $this->db->run(
            "UPDATE {$this->t} SET consumed_at = ? WHERE code_hash = ? AND consumed_at IS NULL AND expires_at > ?",
            [$now, $codeHash, $now],
        )->rowCount() === 1;
        $row = $this->db->row("SELECT * FROM {$this->t} WHERE code_hash = ?", [$codeHash]);
        if ($row === null) {
            return CodeRedemption::unknown();
        }
        $record = self::record($row);
        if ($won) {
            return CodeRedemption::ok($record);
        }
        return $record->consumedAt !== null ? CodeRedemption::replayed($record) : CodeRedemption::expired($record);
    }

    public function prune(int $expiredBefore): int
    {
        return $this->db->run("DELETE FROM {$this->t} WHERE expires_at < ?", [$expiredBefore])->rowCount();
    }

    /** @param array<string, mixed> $row */
    private static function record(array $row): CodeRecord
    {
        return new CodeRecord(
            (string) $row['code_hash'],
            (string) $row['family_id'],
            (string) $row['client_id'],
            (string) $row['redirect_uri'],
            (string) $row['code_challenge'],
            Field::splitScopes((string) $row['scope']),
            (string) $row['resource'],
            (string) $row['member_id'],
            (int) $row['created_at'],
            (int) $row['expires_at'],
            Rows::int($row['consumed_at']),
        );
    }
}
