<?php

declare(strict_types=1);

namespace Statamic;

/**
 * TEST STAND-IN (tests/statamic only) for Statamic 5's \Statamic\Statamic:
 * its presence tells the addon Statamic is installed.
 */
class Statamic
{
    public static function version(): string
    {
        return '5.0.0-stand-in';
    }
}
