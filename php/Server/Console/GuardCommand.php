<?php

declare(strict_types=1);

namespace McpGuard\Server\Console;

use McpGuard\Exception\ConfigurationException;
use McpGuard\Exception\GuardException;
use McpGuard\Server\OAuth\StorageException;
use Symfony\Component\Console\Command\Command;
use Symfony\Component\Console\Helper\Table;
use Symfony\Component\Console\Input\InputInterface;
use Symfony\Component\Console\Input\InputOption;
use Symfony\Component\Console\Output\ConsoleOutputInterface;
use Symfony\Component\Console\Output\OutputInterface;

/**
 * What every mcp-guard command shares: the services of the configuration,
 * stdout for results only (a token, a table, JSON) and stderr for everything
 * else, and one place where a failure becomes one line on stderr and an exit
 * code (ExitCode), never a stack trace. Arguments that are not UTF-8 are
 * refused before anything runs.
 */
abstract class GuardCommand extends Command
{
    /** Columns whose list values are shown one per line in a table. */
    private const MULTILINE = ['grants'];

    private ?OutputInterface $stderr = null;

    /** @param \Closure(InputInterface): CliServices $services */
    public function __construct(private readonly \Closure $services)
    {
        parent::__construct();
    }

    /** The command's work; returns an ExitCode. Throw ConsoleError to refuse. */
    abstract protected function handle(InputInterface $input, OutputInterface $output, CliServices $services): int;

    final protected function execute(InputInterface $input, OutputInterface $output): int
    {
        $this->stderr = $output instanceof ConsoleOutputInterface ? $output->getErrorOutput() : $output;
        try {
            self::refuseNonUtf8($input);
            return $this->handle($input, $output, ($this->services)($input));
        } catch (ConsoleError $e) {
            return $this->fail($e->getMessage(), $e->exitCode(), $e->getPrevious());
        } catch (StorageException $e) {
            return $this->fail('The database refused the operation (SQLSTATE ' . ($e->sqlState() ?: '?') . ').', ExitCode::STORAGE, $e->getPrevious());
        } catch (\PDOException $e) {
            return $this->fail('The database refused the operation (SQLSTATE ' . ((string) ($e->errorInfo[0] ?? '') ?: '?') . ').', ExitCode::STORAGE, $e);
        } catch (ConfigurationException $e) {
            // The extension's messages are generic: they never carry the input or a secret.
            return $this->fail($e->getMessage() . ' (' . $e->reason() . ')', ExitCode::CONFIG);
        } catch (GuardException $e) {
            return $this->fail($e->getMessage() . ' (' . $e->reason() . ')', ExitCode::INVALID);
        } catch (\Throwable $e) {
            return $this->fail('Internal error (' . get_class($e) . ').', ExitCode::INTERNAL, $e);
        }
    }

    /** Where messages go: stderr (stdout stays for what a script pipes). */
    protected function stderr(): OutputInterface
    {
        return $this->stderr ?? throw new \LogicException('stderr() before execute()');
    }

    /** One message line on stderr, as plain text (nothing in it is styled or interpreted). */
    protected function say(string $message): void
    {
        $this->stderr()->writeln(Text::plain($message), OutputInterface::OUTPUT_RAW);
    }

    /** Adds --format=table|json (lists). */
    protected function addFormatOption(): static
    {
        return $this->addOption('format', null, InputOption::VALUE_REQUIRED, 'table or json', 'table');
    }

    /**
     * Prints rows on stdout: a table (times as UTC dates, text made safe to
     * display) or, with --format=json, a JSON list of objects (times as Unix
     * seconds).
     *
     * @param list<string>                    $columns
     * @param list<array<string, mixed>>      $rows keyed by the columns
     */
    protected function rows(InputInterface $input, OutputInterface $output, array $columns, array $rows): void
    {
        $format = $input->getOption('format');
        if ($format === 'json') {
            $output->writeln(json_encode($rows, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE | JSON_PRETTY_PRINT), OutputInterface::OUTPUT_RAW);
            return;
        }
        if ($format !== 'table') {
            throw ConsoleError::invalid('--format must be table or json.');
        }
        $table = new Table($output);
        $table->setHeaders($columns);
        foreach ($rows as $row) {
            $table->addRow(array_map(static fn (string $c): string => self::cell($c, $row[$c] ?? null), $columns));
        }
        $table->render();
    }

    /** A duration: seconds, or a number with s, m, h or d. */
    protected static function duration(string $option, mixed $value): ?int
    {
        if ($value === null) {
            return null;
        }
        if (!is_string($value) || preg_match('/^([1-9][0-9]{0,8})([smhd]?)$/D', $value, $m) !== 1) {
            throw ConsoleError::invalid("--{$option} must be a duration: seconds, or a number with s, m, h or d (e.g. 90d).");
        }
        return (int) $m[1] * ['' => 1, 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400][$m[2]];
    }

    private static function cell(string $column, mixed $value): string
    {
        if ($value === null) {
            return '-';
        }
        if (is_bool($value)) {
            return $value ? 'yes' : 'no';
        }
        if (is_int($value) && str_ends_with($column, '_at')) {
            return gmdate('Y-m-d H:i:s', $value) . 'Z';
        }
        if (is_array($value)) {
            // A list: scopes on one line; the lines of a multi-line cell (client:list's grants) one per line.
            $glue = in_array($column, self::MULTILINE, true) ? "\n" : ' ';
            return $value === [] ? '-' : implode($glue, array_map(static fn (mixed $v): string => Text::display((string) $v), $value));
        }
        return Text::display((string) $value);
    }

    private function fail(string $message, int $code, ?\Throwable $cause = null): int
    {
        $this->say('mcp-guard: ' . $message);
        if ($cause !== null && $this->stderr()->isVerbose()) {
            // -v: the driver's own message, for the admin's eyes (it may quote SQL, never a secret we hold).
            $this->say('  cause: ' . get_class($cause) . ': ' . $cause->getMessage());
        }
        return $code;
    }

    private static function refuseNonUtf8(InputInterface $input): void
    {
        foreach ([$input->getArguments(), $input->getOptions()] as $values) {
            array_walk_recursive($values, static function (mixed $v): void {
                if (is_string($v) && preg_match('//u', $v) !== 1) {
                    throw ConsoleError::invalid('An argument is not UTF-8 text.');
                }
            });
        }
    }
}
