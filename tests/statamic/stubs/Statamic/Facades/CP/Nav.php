<?php

declare(strict_types=1);

namespace Statamic\Facades\CP;

use Illuminate\Support\Facades\Facade;
use Statamic\CP\Navigation\Nav as Navigation;

/** TEST STAND-IN: Statamic 5's CP Nav facade (accessor \Statamic\CP\Navigation\Nav). */
class Nav extends Facade
{
    protected static function getFacadeAccessor()
    {
        return Navigation::class;
    }
}
