<?php

declare(strict_types=1);

namespace Statamic\CP\Navigation;

/**
 * TEST STAND-IN: Statamic 5's CP navigation: extend() keeps callbacks,
 * build() runs them; `$nav->tools('Name')` (any section name) makes an item.
 */
class Nav
{
    /** @var list<\Closure> */
    private array $extensions = [];
    /** @var list<NavItem> */
    public array $items = [];

    public function extend(\Closure $callback): void
    {
        $this->extensions[] = $callback;
    }

    /** @return list<NavItem> */
    public function build(): array
    {
        foreach ($this->extensions as $callback) {
            $callback($this);
        }
        return $this->items;
    }

    public function __call($section, $arguments)
    {
        return $this->items[] = new NavItem(ucfirst($section), (string) $arguments[0]);
    }
}
