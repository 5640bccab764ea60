<?php

declare(strict_types=1);

namespace Statamic\CP\Navigation;

/** TEST STAND-IN: the fluent setters of Statamic 5's NavItem that the addon calls. */
class NavItem
{
    public ?string $url = null;
    public ?string $can = null;

    public function __construct(public readonly string $section, public readonly string $name)
    {
    }

    public function url($url = null)
    {
        $this->url = $url;
        return $this;
    }

    public function route($name, $params = [])
    {
        return $this->url(route('statamic.cp.' . $name, $params)); // Statamic's cp_route()
    }

    public function can($ability = null, $arguments = [])
    {
        $this->can = $ability;
        return $this;
    }
}
