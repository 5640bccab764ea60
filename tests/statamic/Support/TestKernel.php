<?php

declare(strict_types=1);

namespace McpGuard\Tests\Statamic\Support;

use Illuminate\Foundation\Bootstrap\BootProviders;
use Illuminate\Foundation\Bootstrap\RegisterFacades;
use Illuminate\Foundation\Bootstrap\RegisterProviders;
use Illuminate\Foundation\Http\Kernel;

/**
 * Laravel's HTTP kernel with the bootstrappers a test app needs: the
 * configuration is given in code (no .env, no config files), the rest is
 * Laravel's own (facades, providers, router, middleware pipeline).
 */
final class TestKernel extends Kernel
{
    protected $bootstrappers = [RegisterFacades::class, RegisterProviders::class, BootProviders::class];
}
