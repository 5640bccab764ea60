<?php

declare(strict_types=1);

namespace Statamic\Auth;

/**
 * TEST STAND-IN: Statamic 5's permission registry, reduced to recording
 * what register() and group() receive (same signatures).
 */
class Permissions
{
    /** @var array<string, string|null> permission => its group */
    public array $registered = [];
    private ?string $group = null;

    public function register($permission, $callback = null)
    {
        $this->registered[(string) $permission] = $this->group;
        return $permission;
    }

    public function group($name, $label, $permissions = null)
    {
        $this->group = (string) $name;
        if ($permissions instanceof \Closure) {
            $permissions();
        }
        $this->group = null;
        return null;
    }

    public function all()
    {
        return $this->registered;
    }
}
