<?php

declare(strict_types=1);

namespace McpGuard\Server\Mcp;

use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Mcp\Protocol;
use McpGuard\Policy;

/**
 * Where the module developer binds a handler to each tool of the policy
 * manifest. A tool the manifest does not define cannot be bound, so nothing
 * callable escapes the policy; the annotations of each tool come from its
 * policy class (`read`, `write`, `destructive`), never from the developer.
 *
 * A handler is `Closure(array $arguments, Caller $caller): array|string`: an
 * array becomes the result's `structuredContent` (and its JSON text the text
 * content), a string the text content. It runs only after the pipeline
 * allowed the call, with arguments the policy checked.
 */
final class ToolRegistry
{
    /** @var array<string, array{entry: array<string, mixed>, handler: \Closure}> */
    private array $tools = [];

    public function __construct(private readonly Policy $policy)
    {
    }

    /**
     * @param array<string, mixed> $inputSchema a JSON Schema of type object (default: any object)
     * @throws InvalidArgumentException a tool the manifest does not define, one bound twice, or a schema not of type object
     */
    public function bind(string $name, \Closure $handler, string $description, array $inputSchema = ['type' => 'object'], ?string $title = null): self
    {
        if (!in_array($name, $this->policy->tools(), true)) {
            throw new InvalidArgumentException('The tool is not in the policy manifest.');
        }
        if (isset($this->tools[$name])) {
            throw new InvalidArgumentException('The tool is bound already.');
        }
        if (($inputSchema['type'] ?? null) !== 'object') {
            throw new InvalidArgumentException('A tool input schema must be of type object.');
        }
        if (array_key_exists('properties', $inputSchema) && $inputSchema['properties'] === []) {
            // JSON writes PHP's empty array as a list; a schema needs an object.
            $inputSchema['properties'] = new \stdClass();
        }
        $entry = ['name' => $name];
        if ($title !== null) {
            $entry['title'] = $title;
        }
        $entry['description'] = $description;
        $entry['inputSchema'] = $inputSchema;
        $entry['annotations'] = Protocol::toolAnnotations($this->policy->toolClass($name));
        $this->tools[$name] = ['entry' => $entry, 'handler' => $handler];
        return $this;
    }

    public function has(string $name): bool
    {
        return isset($this->tools[$name]);
    }

    /**
     * The `tools/list` entries of the bound tools among `$visible`, sorted by name.
     *
     * @param list<string> $visible
     * @return list<array<string, mixed>>
     */
    public function entries(array $visible): array
    {
        $names = array_values(array_filter(array_unique($visible), fn ($n): bool => is_string($n) && isset($this->tools[$n])));
        sort($names, SORT_STRING);
        return array_map(fn (string $n): array => $this->tools[$n]['entry'], $names);
    }

    /**
     * Runs a bound tool's handler (exceptions pass through: the endpoint turns them into a generic error result).
     *
     * @param array<mixed> $arguments
     * @return array<mixed>|string
     * @throws InvalidArgumentException a tool that is not bound
     */
    public function call(string $name, array $arguments, Caller $caller): array|string
    {
        if (!isset($this->tools[$name])) {
            throw new InvalidArgumentException('The tool is not bound.');
        }
        return ($this->tools[$name]['handler'])($arguments, $caller);
    }
}
