<?php

declare(strict_types=1);

namespace Statamic\Contracts\Auth;

/** TEST STAND-IN: the part of Statamic 5's UserRepository the addon calls (same signatures). */
interface UserRepository
{
    public function find($id): ?User;

    public function findByEmail(string $email): ?User;
}
