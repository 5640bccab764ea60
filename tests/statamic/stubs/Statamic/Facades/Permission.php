<?php

declare(strict_types=1);

namespace Statamic\Facades;

use Illuminate\Support\Facades\Facade;
use Statamic\Auth\Permissions;

/** TEST STAND-IN: Statamic 5's Permission facade (accessor \Statamic\Auth\Permissions). */
class Permission extends Facade
{
    protected static function getFacadeAccessor()
    {
        return Permissions::class;
    }
}
