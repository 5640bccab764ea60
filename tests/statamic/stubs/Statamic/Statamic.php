<?php

declare(strict_types=1);

namespace Statamic;

/**
 * TEST STAND-IN (tests/statamic only) for Statamic 5's \Statamic\Statamic:
 * its presence tells the addon Statamic is installed; pushCpRoutes() keeps
 * the addons' control-panel routes, additionalCpRoutes() registers them
 * (Statamic 5's routes/cp.php calls it inside its CP group).
 */
class Statamic
{
    /** @var list<\Closure> */
    protected static $cpRoutes = [];

    public static function pushCpRoutes(\Closure $routes)
    {
        static::$cpRoutes[] = $routes;
        return new static();
    }

    public static function additionalCpRoutes()
    {
        foreach (static::$cpRoutes as $routes) {
            $routes();
        }
    }

    /** Tests only: a fresh application starts without the previous one's routes. */
    public static function forgetCpRoutes(): void
    {
        static::$cpRoutes = [];
    }

    public static function version(): string
    {
        return '5.0.0-stand-in';
    }
}
