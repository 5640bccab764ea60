<?php

declare(strict_types=1);

namespace McpGuard\Tests\Docs;

use McpGuard\Tests\Support\PhpProcess;
use PHPUnit\Framework\TestCase;

/**
 * The documentation says what the code does: every ```php block of README.md,
 * SECURITY.md and docs/*.md runs, in a fresh PHP process with the built module, with
 * assertions on, and must finish with exit code 0 and nothing on stderr (no
 * warning, no notice, no failed assert(), no uncaught exception). Samples
 * state their claims with assert(), so a sample that goes stale fails here.
 *
 * Every relative link of those pages points to a file of the repository
 * (and, for a link into a Markdown page, to one of its headings), and every
 * docs/ page is on the README's map.
 */
final class DocsTest extends TestCase
{
    private static function root(): string
    {
        return dirname(__DIR__, 3);
    }

    /** @return list<string> README.md, SECURITY.md and docs/*.md, as paths relative to the root. */
    private static function pages(): array
    {
        $pages = ['README.md', 'SECURITY.md'];
        foreach (glob(self::root() . '/docs/*.md') ?: [] as $file) {
            $pages[] = 'docs/' . basename($file);
        }
        return $pages;
    }

    /**
     * The fenced blocks of a Markdown text: [language, first line of code, code].
     *
     * @return list<array{string, int, string}>
     */
    private static function fences(string $markdown): array
    {
        $blocks = [];
        $open = null;
        foreach (preg_split('/\R/', $markdown) ?: [] as $i => $line) {
            if ($open === null) {
                if (preg_match('/^```(.*)$/', $line, $m) === 1) {
                    $open = [trim($m[1]), $i + 2, []];
                }
            } elseif (rtrim($line) === '```') {
                $blocks[] = [$open[0], $open[1], implode("\n", $open[2]) . "\n"];
                $open = null;
            } else {
                $open[2][] = $line;
            }
        }
        if ($open !== null) {
            $blocks[] = ['(unclosed)', $open[1], ''];
        }
        return $blocks;
    }

    /** @return iterable<string, array{string}> */
    public static function pageProvider(): iterable
    {
        foreach (self::pages() as $page) {
            yield $page => [$page];
        }
    }

    /** @return iterable<string, array{string, int, string}> "page:line" => [page, line, code] */
    public static function sampleProvider(): iterable
    {
        foreach (self::pages() as $page) {
            foreach (self::fences((string) file_get_contents(self::root() . '/' . $page)) as [$lang, $line, $code]) {
                if ($lang === 'php') {
                    yield "{$page}:{$line}" => [$page, $line, $code];
                }
            }
        }
    }

    /**
     * Extensions of this process that `php -n` does not have (PDO, pdo_sqlite,
     * redis…), to load into the sample's process too; never mcp_guard itself
     * (the module under test is loaded by path).
     *
     * @return list<string>
     */
    private static function extensions(): array
    {
        static $list = null;
        if ($list !== null) {
            return $list;
        }
        $base = shell_exec(escapeshellarg(PHP_BINARY) . ' -n -r ' . escapeshellarg('echo implode("\n", get_loaded_extensions());'));
        $builtIn = array_map('strtolower', explode("\n", (string) $base));
        $dir = (string) ini_get('extension_dir');
        $list = [];
        foreach (get_loaded_extensions() as $name) {
            $name = strtolower($name);
            if ($name === 'mcp_guard' || in_array($name, $builtIn, true)) {
                continue;
            }
            if (is_file("{$dir}/{$name}.so")) {
                $list[] = $name;
            }
        }
        return $list;
    }

    /**
     * Runs one sample as the documentation test does. With `$page` and
     * `$firstLine`, file names and line numbers in the output point into the
     * page instead of the temporary script.
     *
     * @return array{exit: int, stdout: string, stderr: string}
     */
    public static function runSample(string $code, ?string $page = null, int $firstLine = 1): array
    {
        $code = preg_replace('/^<\?php\s*/', '', $code);
        $script = "<?php declare(strict_types=1); require " . var_export(self::root() . '/php/autoload.php', true) . ";\n" . $code;
        $file = tempnam(sys_get_temp_dir(), 'mcp_guard_doc_');
        if ($file === false) {
            throw new \RuntimeException('cannot create a temporary file');
        }
        try {
            file_put_contents($file, $script);
            $cmd = [PHP_BINARY, '-n'];
            foreach (self::extensions() as $ext) {
                array_push($cmd, '-d', "extension={$ext}");
            }
            array_push(
                $cmd,
                '-d', 'extension=' . PhpProcess::modulePath(),
                '-d', 'zend.assertions=1',
                '-d', 'assert.exception=1',
                '-d', 'error_reporting=-1',
                '-d', 'display_errors=stderr',
                '-d', 'log_errors=0',
                $file,
            );
            $proc = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
            if (!is_resource($proc)) {
                throw new \RuntimeException('cannot start php');
            }
            fclose($pipes[0]);
            $stdout = (string) stream_get_contents($pipes[1]);
            $stderr = (string) stream_get_contents($pipes[2]);
            fclose($pipes[1]);
            fclose($pipes[2]);
            $exit = proc_close($proc);
            if ($page !== null) {
                // The script has one line before the sample's first line.
                $at = static fn (array $m): string => $page . ':' . ($firstLine + (int) $m[1] - 2);
                $pattern = '/' . preg_quote($file, '/') . '(?: on line |:|\()(\d+)\)?/';
                $stdout = (string) preg_replace_callback($pattern, $at, $stdout);
                $stderr = (string) preg_replace_callback($pattern, $at, $stderr);
            }
            return ['exit' => $exit, 'stdout' => $stdout, 'stderr' => $stderr];
        } finally {
            @unlink($file);
        }
    }

    /** @dataProvider sampleProvider */
    public function testSampleRuns(string $page, int $line, string $code): void
    {
        $r = self::runSample($code, $page, $line);
        $where = "the ```php block of {$page} at line {$line}";
        self::assertSame('', $r['stderr'], "{$where} wrote to stderr:\n{$r['stderr']}");
        self::assertSame(0, $r['exit'], "{$where} exited with {$r['exit']}:\n{$r['stdout']}");
        self::assertStringNotContainsString('Uncaught', $r['stdout'], $where);
    }

    /**
     * The runner fails what it must: a syntax error, a false assert(), an
     * uncaught exception, a warning, a non-zero exit. (A harness that passes
     * everything would make every sample test worthless.)
     */
    public function testTheRunnerRefusesBrokenSamples(): void
    {
        $broken = [
            'syntax error' => "\$x = ;\n",
            'false assert' => "assert(1 === 2);\n",
            'uncaught exception' => "new McpGuard\\Tokens('NOT A PREFIX');\n",
            'warning' => "echo \$undefined;\n",
            'exit 1' => "exit(1);\n",
            'a TypeError from strict types' => "strlen(5);\n",
        ];
        foreach ($broken as $what => $code) {
            $r = self::runSample($code);
            self::assertTrue($r['exit'] !== 0 || $r['stderr'] !== '', "a sample with {$what} passed");
        }
        $ok = self::runSample("assert(extension_loaded('mcp_guard'));\nassert(class_exists(McpGuard\\Server\\Token\\TokenService::class));\nassert(extension_loaded('pdo_sqlite'));\necho 'ok';\n");
        self::assertSame(['exit' => 0, 'stdout' => 'ok', 'stderr' => ''], $ok);
    }

    /** The extractor sees the samples (a regex that matches nothing would pass every page). */
    public function testSamplesAreFound(): void
    {
        $fences = self::fences("text\n```php\n\$a = 1;\n```\n\n```sh\nls\n```\n");
        self::assertSame([['php', 3, "\$a = 1;\n"], ['sh', 7, "ls\n"]], $fences);
        self::assertGreaterThanOrEqual(20, iterator_count(self::sampleProvider()));
    }

    /**
     * Every fence names its language, so no PHP hides from the test in a bare
     * ``` block, and every block is closed.
     *
     * @dataProvider pageProvider
     */
    public function testEveryFenceNamesItsLanguage(string $page): void
    {
        $bad = [];
        foreach (self::fences((string) file_get_contents(self::root() . '/' . $page)) as [$lang, $line]) {
            if (preg_match('/^[a-z]+$/', $lang) !== 1) {
                $bad[] = "{$page}:{$line}: a fence without a language (or unclosed)";
            }
        }
        self::assertSame([], $bad);
    }

    /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
    private static function slug(string $heading): string
    {
        $text = preg_replace('/\[([^\]]*)\]\([^)]*\)/', '$1', $heading) ?? $heading;
        $text = mb_strtolower(trim($text));
        $text = preg_replace('/[^\p{L}\p{N}\s_-]/u', '', $text) ?? $text;
        return preg_replace('/\s/u', '-', $text) ?? $text;
    }

    /** @return list<string> the anchors of a Markdown page's headings. */
    private static function anchors(string $markdown): array
    {
        $anchors = [];
        $seen = [];
        $inFence = false;
        foreach (preg_split('/\R/', $markdown) ?: [] as $line) {
            if (str_starts_with($line, '```')) {
                $inFence = !$inFence;
                continue;
            }
            if (!$inFence && preg_match('/^#{1,6}\s+(.+?)\s*#*\s*$/', $line, $m) === 1) {
                $slug = self::slug($m[1]);
                $n = $seen[$slug] ?? 0;
                $seen[$slug] = $n + 1;
                $anchors[] = $n === 0 ? $slug : "{$slug}-{$n}";
            }
        }
        return $anchors;
    }

    /** @return list<string> the link targets of a page (outside code). */
    private static function links(string $markdown): array
    {
        $prose = preg_replace('/^```.*?^```\s*$/ms', '', $markdown) ?? $markdown;
        $prose = preg_replace('/`[^`\n]*`/', '', $prose) ?? $prose;
        preg_match_all('/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/', $prose, $inline);
        preg_match_all('/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/m', $prose, $reference);
        return array_merge($inline[1], $reference[1]);
    }

    /** @dataProvider pageProvider */
    public function testRelativeLinksResolve(string $page): void
    {
        $root = self::root();
        $markdown = (string) file_get_contents("{$root}/{$page}");
        $broken = [];
        foreach (self::links($markdown) as $target) {
            if (preg_match('/^[a-z][a-z0-9+.-]*:/i', $target) === 1) {
                continue; // https:, mailto: … — not checked offline
            }
            [$path, $anchor] = array_pad(explode('#', $target, 2), 2, null);
            $file = $path === '' ? "{$root}/{$page}" : dirname("{$root}/{$page}") . '/' . rawurldecode($path);
            $real = realpath($file);
            if ($real === false) {
                $broken[] = "{$page}: link to {$target}: no such file";
            } elseif (!str_starts_with($real . (is_dir($real) ? '/' : ''), $root . '/')) {
                $broken[] = "{$page}: link to {$target}: outside the repository";
            } elseif ($anchor !== null && str_ends_with($real, '.md')
                && !in_array($anchor, self::anchors((string) file_get_contents($real)), true)) {
                $broken[] = "{$page}: link to {$target}: no such heading";
            }
        }
        self::assertSame([], $broken);
    }

    public function testTheLinkCheckerSeesLinksAndAnchors(): void
    {
        $md = "# mcp_guard\n## The `Authorization` header\n## Cost (shared memory)\n## Cost (shared memory)\n"
            . "See [a](docs/x.md#y), [b](#cost-shared-memory) and `[c](not-a-link)`.\n[r]: SECURITY.md\n```sh\n# not a heading\n[d](nope)\n```\n";
        self::assertSame(['docs/x.md#y', '#cost-shared-memory', 'SECURITY.md'], self::links($md));
        self::assertSame(['mcp_guard', 'the-authorization-header', 'cost-shared-memory', 'cost-shared-memory-1'], self::anchors($md));
    }

    /** The README's map names every page under docs/. */
    public function testEveryDocsPageIsOnTheReadmeMap(): void
    {
        $links = self::links((string) file_get_contents(self::root() . '/README.md'));
        $pages = array_values(array_filter(self::pages(), fn (string $p): bool => str_starts_with($p, 'docs/')));
        self::assertNotEmpty($pages);
        foreach ($pages as $page) {
            self::assertContains($page, $links, "README.md does not link {$page}");
        }
    }
}
