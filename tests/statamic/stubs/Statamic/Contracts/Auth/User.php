<?php

declare(strict_types=1);

namespace Statamic\Contracts\Auth;

use Illuminate\Contracts\Auth\Authenticatable;

/**
 * TEST STAND-IN: the part of Statamic 5's \Statamic\Contracts\Auth\User the
 * addon calls, with Statamic 5's signatures (email(), password(), hasPermission()).
 */
interface User extends Authenticatable
{
    public function email($email = null);

    public function password($password = null);

    public function hasPermission($permission);
}
