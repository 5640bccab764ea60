<?php

declare(strict_types=1);

namespace McpGuard\Server\Console;

use McpGuard\Server\Audit\AuditRow;
use Symfony\Component\Console\Input\InputInterface;
use Symfony\Component\Console\Input\InputOption;
use Symfony\Component\Console\Output\OutputInterface;

/**
 * audit:tail [-n 20] [--follow]: the newest audit events, oldest of them
 * first; --follow keeps printing new events (one line, or one JSON object
 * per line with --format=json) until interrupted.
 */
final class AuditTailCommand extends GuardCommand
{
    protected static $defaultName = 'audit:tail';

    private const COLUMNS = ['seq', 'at', 'type', 'outcome', 'principal', 'tool'];

    protected function configure(): void
    {
        $this->setDescription('Show the newest audit events')
            ->addOption('lines', 'n', InputOption::VALUE_REQUIRED, 'How many', '20')
            ->addOption('follow', 'f', InputOption::VALUE_NONE, 'Keep printing new events')
            ->addOption('interval', null, InputOption::VALUE_REQUIRED, 'With --follow: seconds between polls', '1')
            ->addFormatOption();
    }

    protected function handle(InputInterface $input, OutputInterface $output, CliServices $services): int
    {
        $n = self::count('lines', $input->getOption('lines'), 100000);
        $log = $services->auditLog();
        $rows = $log->tail($n);
        $json = $input->getOption('format') === 'json';
        if (!$input->getOption('follow')) {
            $this->rows($input, $output, $json ? array_keys(self::row(null)) : self::COLUMNS,
                array_map(static fn (AuditRow $r): array => $json ? self::row($r) : ['at' => self::time($r->at)] + self::row($r), $rows));
            return ExitCode::OK;
        }
        $interval = self::count('interval', $input->getOption('interval'), 3600);
        $next = 1;
        for (;;) {
            foreach ($rows as $row) {
                $this->line($output, $row, $json);
                $next = $row->seq + 1;
            }
            sleep($interval);
            $rows = $log->rows($next);
        }
    }

    private function line(OutputInterface $output, AuditRow $row, bool $json): void
    {
        $output->writeln($json
            ? json_encode(self::row($row), JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE)
            : implode("\t", array_map(static fn (string $c): string => Text::plain((string) ((['at' => self::time($row->at)] + self::row($row))[$c] ?? '-')), self::COLUMNS)),
            OutputInterface::OUTPUT_RAW);
    }

    /** @return array<string, mixed> */
    private static function row(?AuditRow $r): array
    {
        return $r === null ? array_flip(['seq', 'at', 'type', 'outcome', 'principal', 'tool', 'record', 'hash']) : [
            'seq' => $r->seq, 'at' => $r->at, 'type' => $r->type, 'outcome' => $r->outcome,
            'principal' => $r->principal, 'tool' => $r->tool, 'record' => $r->record, 'hash' => $r->hash,
        ];
    }

    /** Unix microseconds as a UTC time with milliseconds. */
    private static function time(int $micros): string
    {
        return gmdate('Y-m-d H:i:s', intdiv($micros, 1_000_000)) . sprintf('.%03dZ', intdiv($micros % 1_000_000, 1000));
    }

    private static function count(string $option, mixed $value, int $max): int
    {
        if (!is_string($value) || preg_match('/^[1-9][0-9]{0,8}$/D', $value) !== 1 || (int) $value > $max) {
            throw ConsoleError::invalid("--{$option} must be a whole number from 1 to {$max}.");
        }
        return (int) $value;
    }
}
