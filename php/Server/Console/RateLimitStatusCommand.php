<?php

declare(strict_types=1);

namespace McpGuard\Server\Console;

use McpGuard\RateLimiter;
use Symfony\Component\Console\Input\InputInterface;
use Symfony\Component\Console\Input\InputOption;
use Symfony\Component\Console\Output\OutputInterface;

/**
 * ratelimit:status: the configured policies and the facts of the shared
 * table (RateLimiter::tableInfo()). The table is mapped by the process that
 * loads the module (the php-fpm master) and shared with its children only: a
 * CLI process sees its own, empty table, never the server's, so its
 * occupancy says nothing about the server; the settings (slots, namespace,
 * when full) are the CLI's INI values. A key's state cannot be read without
 * recording a hit (the extension has no read-only query), so --key refuses
 * with exit code 5 and records nothing.
 */
final class RateLimitStatusCommand extends GuardCommand
{
    protected static $defaultName = 'ratelimit:status';

    protected function configure(): void
    {
        $this->setDescription('Show the rate-limit policies and the shared table')
            ->addOption('key', null, InputOption::VALUE_REQUIRED, "A key's current state (not available: see the help)")
            ->addFormatOption();
    }

    protected function handle(InputInterface $input, OutputInterface $output, CliServices $services): int
    {
        if ($input->getOption('key') !== null) {
            throw ConsoleError::unsupported('A key\'s state cannot be read without recording a hit (the extension has no read-only query); nothing was recorded.');
        }
        $policies = $services->rateLimiter()->policies();
        $info = RateLimiter::tableInfo();
        if ($input->getOption('format') === 'json') {
            $output->writeln(json_encode(['policies' => $policies, 'table' => $info], JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_PRETTY_PRINT), OutputInterface::OUTPUT_RAW);
            return ExitCode::OK;
        }
        $rows = [];
        foreach ($policies as $name => $p) {
            $rows[] = ['policy' => (string) $name, 'limit' => (string) $p['limit'], 'period_seconds' => (string) $p['period']];
        }
        $this->rows($input, $output, ['policy', 'limit', 'period_seconds'], $rows);
        $facts = [];
        foreach ($info as $name => $value) {
            $facts[] = ['fact' => (string) $name, 'value' => is_array($value) ? json_encode($value, JSON_THROW_ON_ERROR) : (is_bool($value) ? ($value ? 'yes' : 'no') : (string) $value)];
        }
        $this->rows($input, $output, ['fact', 'value'], $facts);
        $this->say('The table above is this process\'s: the server\'s lives in its php-fpm master and is not visible from a CLI process.');
        return ExitCode::OK;
    }
}
