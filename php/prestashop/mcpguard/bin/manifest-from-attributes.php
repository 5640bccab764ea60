<?php

declare(strict_types=1);

/*
 * Prints the policy manifest (JSON) of the tools a shop's modules declare with
 * the McpTool attribute of php-mcp/server (PhpMcp\Server\Attributes\McpTool:
 * name, description, annotations), for config/policy.json:
 *
 *   php bin/manifest-from-attributes.php [--bootstrap=FILE] SOURCE.php [SOURCE.php …]
 *
 * --bootstrap: a file to require first (the module's autoloader, which
 * must define the attribute classes). Per method with the attribute (or a
 * class with it and __invoke):
 *   name        the attribute's name, else the method's (the class's for __invoke)
 *   class       annotations readOnlyHint true → read; else destructiveHint false → write;
 *               else destructive (MCP's default: a tool that is not read-only may destroy)
 *   scopes      read → ["read"]; write, destructive → ["write"]
 *   fields      the parameters: int → integer, float → number, string → string, bool → boolean;
 *               required unless optional, nullable if the type allows null. Any other
 *               type is refused: write that field by hand.
 * The result is compiled by McpGuard\Policy before it is printed, so a
 * forbidden field or a bad name fails here (exit 1), not in the shop.
 * Destructive tools come out disabled (the manifest's default): enable each by hand.
 */

$files = [];
foreach (array_slice($argv, 1) as $arg) {
    if (str_starts_with($arg, '--bootstrap=')) {
        require_once substr($arg, strlen('--bootstrap='));
    } else {
        $files[] = $arg;
    }
}
if ($files === []) {
    fwrite(STDERR, "usage: manifest-from-attributes.php [--bootstrap=FILE] SOURCE.php [SOURCE.php …]\n");
    exit(2);
}
$before = get_declared_classes();
foreach ($files as $file) {
    require_once $file;
}
const TYPES = ['int' => 'integer', 'float' => 'number', 'string' => 'string', 'bool' => 'boolean'];

/** @return array{0: string, 1: array<string, mixed>}|null the tool's name and manifest entry */
function tool(ReflectionMethod $m, ?ReflectionAttribute $attr): ?array
{
    if ($attr === null) {
        return null;
    }
    $args = $attr->getArguments();
    $name = $args['name'] ?? $args[0] ?? ($m->getName() === '__invoke' ? $m->getDeclaringClass()->getShortName() : $m->getName());
    $description = $args['description'] ?? $args[1] ?? null;
    $hints = $args['annotations'] ?? $args[2] ?? null;
    $class = ($hints->readOnlyHint ?? null) === true ? 'read' : (($hints->destructiveHint ?? null) === false ? 'write' : 'destructive');
    $fields = [];
    foreach ($m->getParameters() as $p) {
        $type = $p->getType();
        $kind = $type instanceof ReflectionNamedType ? (TYPES[$type->getName()] ?? null) : null;
        if ($kind === null) {
            throw new RuntimeException("{$name}: parameter \${$p->getName()} has a type the generator does not map (" . ($type ?? 'none') . '): write that field by hand.');
        }
        $fields[$p->getName()] = ['type' => $kind] + ($p->isOptional() ? [] : ['required' => true]) + ($type->allowsNull() ? ['nullable' => true] : []);
    }
    $entry = ['class' => $class, 'scopes' => [$class === 'read' ? 'read' : 'write']] + ($fields === [] ? [] : ['fields' => $fields])
        + (is_string($description) ? ['description' => $description] : []);
    return [(string) $name, $entry];
}

$tools = [];
try {
    foreach (array_diff(get_declared_classes(), $before) as $className) {
        $class = new ReflectionClass($className);
        $onClass = $class->getAttributes('PhpMcp\Server\Attributes\McpTool')[0] ?? null;
        foreach ($class->getMethods(ReflectionMethod::IS_PUBLIC) as $method) {
            $attr = $method->getAttributes('PhpMcp\Server\Attributes\McpTool')[0] ?? ($method->getName() === '__invoke' ? $onClass : null);
            $t = tool($method, $attr);
            if ($t !== null) {
                isset($tools[$t[0]]) && throw new RuntimeException("{$t[0]}: declared twice.");
                $tools[$t[0]] = $t[1];
            }
        }
    }
    ksort($tools);
    $manifest = ['version' => 1, 'tools' => $tools === [] ? new stdClass() : $tools];
    new McpGuard\Policy($manifest);
} catch (McpGuard\Exception\GuardException $e) {
    fwrite(STDERR, 'The manifest is refused: ' . $e->getMessage() . ' (' . $e->reason() . ")\n");
    exit(1);
} catch (RuntimeException $e) {
    fwrite(STDERR, $e->getMessage() . "\n");
    exit(1);
}
echo json_encode($manifest, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";
