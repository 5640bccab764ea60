<?php

declare(strict_types=1);

namespace McpGuard\Tests\Statamic\Support;

use Statamic\Contracts\Auth\User;
use Statamic\Contracts\Auth\UserRepository;

/** The Statamic users of the tests (the stand-in's repository). */
final class TestUsers implements UserRepository
{
    /** @param array<string, User> $byEmail */
    public function __construct(private readonly array $byEmail)
    {
    }

    public function find($id): ?User
    {
        foreach ($this->byEmail as $user) {
            if ($user->getAuthIdentifier() === $id) {
                return $user;
            }
        }
        return null;
    }

    public function findByEmail(string $email): ?User
    {
        return $this->byEmail[$email] ?? null;
    }
}
