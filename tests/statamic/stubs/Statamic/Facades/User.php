<?php

declare(strict_types=1);

namespace Statamic\Facades;

use Illuminate\Support\Facades\Facade;
use Statamic\Contracts\Auth\UserRepository;

/** TEST STAND-IN: Statamic 5's User facade (the same accessor: the UserRepository contract). */
class User extends Facade
{
    protected static function getFacadeAccessor()
    {
        return UserRepository::class;
    }
}
