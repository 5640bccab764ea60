<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Pdo;

/**
 * One versioned step of the OAuth schema. A later issue adds a step as a new
 * class with the next version and appends it to Migrations::steps(); a step
 * that shipped is never edited.
 */
interface Migration
{
    /** 1, 2, 3, … without gaps. */
    public function version(): int;

    /**
     * The statements that apply the step, for the connection's dialect
     * ('sqlite' or 'mysql'); table names through `$db->table()`.
     *
     * @return list<string>
     */
    public function up(PdoDatabase $db): array;

    /**
     * The statements that undo it exactly; each must succeed also when the
     * step was applied only in part (`DROP TABLE IF EXISTS`, …).
     *
     * @return list<string>
     */
    public function down(PdoDatabase $db): array;
}
