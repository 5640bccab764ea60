<?php

declare(strict_types=1);

namespace McpGuard\Tests\Statamic\Support;

use Statamic\Contracts\Auth\User;

/** A Statamic user of the tests: id, email, password hash, permissions. */
final class TestUser implements User
{
    /** @param list<string> $permissions */
    public function __construct(private readonly string $id, private readonly string $email, private readonly string $hash,
        private readonly array $permissions)
    {
    }

    public function email($email = null)
    {
        return $this->email;
    }

    public function password($password = null)
    {
        return $this->hash;
    }

    public function hasPermission($permission)
    {
        return in_array($permission, $this->permissions, true);
    }

    public function getAuthIdentifierName()
    {
        return 'id';
    }

    public function getAuthIdentifier()
    {
        return $this->id;
    }

    public function getAuthPassword()
    {
        return $this->hash;
    }

    public function getRememberToken()
    {
        return null;
    }

    public function setRememberToken($value)
    {
    }

    public function getRememberTokenName()
    {
        return '';
    }
}
