<?php
/**
 * Writes PHP stubs for the mcp_guard extension from the loaded module, one
 * class per file under stubs/ (PSR-4 layout), or checks that stubs/ matches.
 *
 *   php -d extension=target/release/libmcp_guard.so tools/stubs.php [--check] [dir]
 *
 * Reflection reads what the module really registered, including the exception
 * classes that are registered by hand (so no class can be missing from the
 * stubs). The documentation comes from the Rust doc comments of the bindings
 * (src/php/*.rs), the one source of truth: PHP 8.2 keeps no doc comments for
 * internal classes, so reflection cannot give them. A class whose binding has
 * no `__construct` is made by the extension only: its stub shows no public
 * constructor. --check exits 1 and prints a diff summary when stubs/ has
 * drifted.
 */

declare(strict_types=1);

if (!extension_loaded('mcp_guard')) {
    fwrite(STDERR, "mcp_guard is not loaded: run with -d extension=.../libmcp_guard.so\n");
    exit(2);
}

$check = in_array('--check', $argv, true);
$args = array_values(array_filter(array_slice($argv, 1), fn ($a) => $a !== '--check'));
$dir = $args[0] ?? dirname(__DIR__) . '/stubs';

/**
 * Doc comments of the bindings: ['classes' => [php class => doc],
 * 'methods' => ["php class::phpMethod" => doc], 'constructible' => [php class => bool]].
 */
function rust_docs(string $srcDir): array
{
    $classes = $methods = $constructible = [];
    foreach (glob($srcDir . '/*.rs') as $file) {
        $doc = [];
        $phpName = null;
        $rustToPhp = [];
        $impl = null;
        foreach (file($file, FILE_IGNORE_NEW_LINES) as $line) {
            $t = trim($line);
            if (preg_match('~^///\s?(.*)$~', $t, $m)) {
                $doc[] = rtrim($m[1]);
                continue;
            }
            if (preg_match('~^#\[php\(name = "(.+)"\)\]$~', $t, $m)) {
                $phpName = stripslashes($m[1]);
                continue;
            }
            if (str_starts_with($t, '#[') || $t === '') {
                if ($t === '') {
                    $doc = [];
                }
                continue;
            }
            if (preg_match('~^pub struct (\w+)~', $t, $m) && $phpName !== null) {
                $rustToPhp[$m[1]] = $phpName;
                $classes[$phpName] = $doc;
                $constructible[$phpName] = false;
                $phpName = null;
            } elseif (preg_match('~^impl (\w+) \{$~', $t, $m) && isset($rustToPhp[$m[1]])) {
                $impl = $rustToPhp[$m[1]];
            } elseif ($impl !== null && preg_match('~^pub fn (?:r#)?(\w+)~', $t, $m)) {
                $name = $m[1] === '__construct' ? '__construct'
                    : lcfirst(str_replace('_', '', ucwords($m[1], '_')));
                $methods["{$impl}::{$name}"] = $doc;
                if ($name === '__construct') {
                    $constructible[$impl] = true;
                }
            } elseif (preg_match('~^(pub )?const \w+: &str = "(McpGuard[^"]*Exception[^"]*)";~', $t, $m)) {
                // exception.rs: the class constants carry the class docs.
                $classes[stripslashes($m[2])] = $doc;
            } elseif (preg_match('~^extern "C" fn (\w+)_handler~', $t, $m) && basename($file) === 'exception.rs') {
                $name = lcfirst(str_replace('_', '', ucwords($m[1], '_')));
                // Hand-registered methods: on GuardException, but httpStatus()
                // on OAuthException only (see exception.rs register()).
                $owner = $name === 'httpStatus' ? 'OAuthException' : 'GuardException';
                $methods["McpGuard\\Exception\\{$owner}::{$name}"] = $doc;
            }
            if ($t === '}' && !str_starts_with($line, ' ')) {
                $impl = null;
            }
            $doc = [];
        }
    }
    return ['classes' => $classes, 'methods' => $methods, 'constructible' => $constructible];
}

/** A PHPDoc block from Rust doc lines (indented by $pad). */
function doc_block(array $lines, string $pad): string
{
    while ($lines && end($lines) === '') {
        array_pop($lines);
    }
    if (!$lines) {
        return '';
    }
    $out = "{$pad}/**\n";
    foreach ($lines as $l) {
        $out .= $l === '' ? "{$pad} *\n" : "{$pad} * " . str_replace('*/', '*\/', $l) . "\n";
    }
    return $out . "{$pad} */\n";
}

function type_to_string(?ReflectionType $t): string
{
    if ($t === null) {
        return '';
    }
    if ($t instanceof ReflectionNamedType) {
        $name = $t->getName();
        $builtin = $t->isBuiltin() || in_array(strtolower($name), ['self', 'static'], true);
        $out = $builtin ? $name : '\\' . ltrim($name, '\\');
        return ($t->allowsNull() && $name !== 'mixed' && $name !== 'null') ? '?' . $out : $out;
    }
    $sep = $t instanceof ReflectionUnionType ? '|' : '&';
    return implode($sep, array_map('type_to_string', $t->getTypes()));
}

function export_value(mixed $v): string
{
    return $v === null ? 'null' : var_export($v, true);
}

function param_to_string(ReflectionParameter $p): string
{
    $s = type_to_string($p->getType());
    $s = ($s === '' ? '' : $s . ' ') . ($p->isVariadic() ? '...' : '') . '$' . $p->getName();
    if ($p->isOptional() && !$p->isVariadic()) {
        if ($p->isDefaultValueAvailable()) {
            $s .= ' = ' . ($p->isDefaultValueConstant()
                ? $p->getDefaultValueConstantName()
                : export_value($p->getDefaultValue()));
        } elseif ($p->allowsNull()) {
            $s .= ' = null';
        }
    }
    return $s;
}

function method_to_string(ReflectionMethod $m): string
{
    $mods = implode(' ', Reflection::getModifierNames($m->getModifiers()));
    $params = implode(', ', array_map('param_to_string', $m->getParameters()));
    $ret = $m->hasReturnType() ? ': ' . type_to_string($m->getReturnType())
        : ($m->hasTentativeReturnType() ? ': ' . type_to_string($m->getTentativeReturnType()) : '');
    return "    {$mods} function {$m->getName()}({$params}){$ret} {}";
}

function class_stub(ReflectionClass $c, array $docs): string
{
    $name = $c->getName();
    $ns = $c->getNamespaceName();
    $kind = $c->isInterface() ? 'interface' : 'class';
    $mods = $c->isInterface() ? '' : implode(' ', Reflection::getModifierNames($c->getModifiers()));
    $head = trim($mods . ' ' . $kind . ' ' . $c->getShortName());
    $parent = $c->getParentClass();
    if ($parent) {
        $head .= ' extends \\' . $parent->getName();
    }
    $own = array_filter(
        $c->getInterfaceNames(),
        fn ($i) => !$parent || !in_array($i, $parent->getInterfaceNames(), true)
    );
    if ($own) {
        $head .= ($c->isInterface() ? ' extends ' : ' implements ') . implode(', ', array_map(fn ($i) => '\\' . $i, $own));
    }
    $body = [];
    foreach ($c->getReflectionConstants() as $k) {
        if ($k->getDeclaringClass()->getName() === $c->getName()) {
            $body[] = '    ' . implode(' ', Reflection::getModifierNames($k->getModifiers()))
                . ' const ' . $k->getName() . ' = ' . var_export($k->getValue(), true) . ';';
        }
    }
    foreach ($c->getProperties() as $p) {
        if ($p->getDeclaringClass()->getName() === $c->getName()) {
            $t = type_to_string($p->getType());
            $body[] = '    ' . implode(' ', Reflection::getModifierNames($p->getModifiers()))
                . ($t === '' ? '' : ' ' . $t) . ' $' . $p->getName() . ';';
        }
    }
    $made = isset($docs['constructible'][$name]) && !$docs['constructible'][$name];
    foreach ($c->getMethods() as $m) {
        if ($m->getDeclaringClass()->getName() !== $name) {
            continue;
        }
        if ($made && $m->getName() === '__construct') {
            // Made by the extension only: `new` is refused, so no constructor.
            continue;
        }
        $body[] = rtrim(doc_block($docs['methods']["{$name}::{$m->getName()}"] ?? [], '    ')
            . method_to_string($m));
    }
    $classDoc = $docs['classes'][$name] ?? [];
    if ($made) {
        $factories = [];
        foreach ($c->getMethods(ReflectionMethod::IS_STATIC) as $m) {
            $r = $m->getReturnType();
            if ($r instanceof ReflectionNamedType && $r->getName() === $name) {
                $factories[] = $m->getName() . '()';
            }
        }
        $how = $factories
            ? 'Built with ' . implode(', ', $factories) . '; `new` is refused.'
            : 'Made by the extension only: PHP code cannot construct it (`new` is refused).';
        $classDoc = array_merge($classDoc, $classDoc ? [''] : [], [$how]);
    }
    return "<?php\n\n// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.\n\n"
        . ($ns !== '' ? "namespace {$ns};\n\n" : '')
        . doc_block($classDoc, '')
        . "{$head}\n{\n" . implode("\n\n", $body) . ($body ? "\n" : '') . "}\n";
}

$ext = new ReflectionExtension('mcp_guard');
$docs = rust_docs(dirname(__DIR__) . '/src/php');
$files = [];
$undocumented = [];
foreach ($ext->getClasses() as $class) {
    $files[str_replace('\\', '/', $class->getName()) . '.php'] = class_stub($class, $docs);
    if (empty($docs['classes'][$class->getName()])) {
        $undocumented[] = $class->getName();
    }
    foreach ($class->getMethods() as $m) {
        $key = $class->getName() . '::' . $m->getName();
        $own = $m->getDeclaringClass()->getName() === $class->getName();
        if ($own && empty($docs['methods'][$key]) && !($m->getName() === '__construct'
            && isset($docs['constructible'][$class->getName()]) && !$docs['constructible'][$class->getName()])) {
            $undocumented[] = $key;
        }
    }
}
if ($undocumented) {
    fwrite(STDERR, "no Rust doc comment for (document them in src/php/):\n  " . implode("\n  ", $undocumented) . "\n");
    exit(1);
}
$functions = $ext->getFunctions();
if ($functions) {
    $out = "<?php\n\n// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.\n";
    foreach ($functions as $f) {
        $params = implode(', ', array_map('param_to_string', $f->getParameters()));
        $ret = $f->hasReturnType() ? ': ' . type_to_string($f->getReturnType()) : '';
        $out .= "\nnamespace {$f->getNamespaceName()} {\n    function {$f->getShortName()}({$params}){$ret} {}\n}\n";
    }
    $files['functions.php'] = $out;
}
ksort($files);

$existing = [];
if (is_dir($dir)) {
    $it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($dir, FilesystemIterator::SKIP_DOTS));
    foreach ($it as $f) {
        if ($f->getExtension() === 'php') {
            $existing[substr($f->getPathname(), strlen($dir) + 1)] = file_get_contents($f->getPathname());
        }
    }
}

if ($check) {
    $drift = [];
    foreach ($files as $name => $text) {
        if (!isset($existing[$name])) {
            $drift[] = "missing: stubs/{$name}";
        } elseif ($existing[$name] !== $text) {
            $drift[] = "differs: stubs/{$name}";
        }
    }
    foreach (array_diff_key($existing, $files) as $name => $_) {
        $drift[] = "not in module: stubs/{$name}";
    }
    if ($drift) {
        fwrite(STDERR, "stubs/ does not match the built module (run: make stubs):\n  " . implode("\n  ", $drift) . "\n");
        exit(1);
    }
    echo "stubs: " . count($files) . " files match the module\n";
    exit(0);
}

foreach (array_diff_key($existing, $files) as $name => $_) {
    unlink("{$dir}/{$name}");
}
foreach ($files as $name => $text) {
    $path = "{$dir}/{$name}";
    if (!is_dir(dirname($path))) {
        mkdir(dirname($path), 0777, true);
    }
    file_put_contents($path, $text);
}
echo "stubs: wrote " . count($files) . " files to {$dir}\n";
