<?php

declare(strict_types=1);

namespace McpGuard\Statamic\Console;

use McpGuard\Server\Console\CliServices;
use McpGuard\Server\Console\ConsoleApplication;
use McpGuard\Server\Console\GuardCommand;
use Symfony\Component\Console\Input\InputInterface;

/**
 * bin/mcp-guard's commands as artisan commands (`php artisan
 * mcp-guard:token:create …`), on the addon's database, tables, policy and
 * audit key: the same classes, options and exit codes (docs/cli.md).
 */
final class Commands
{
    /**
     * @param \Closure(): CliServices $services
     * @return list<GuardCommand>
     */
    public static function all(\Closure $services, ?int $defaultLifetimeDays): array
    {
        $commands = [];
        foreach (ConsoleApplication::COMMANDS as $class) {
            $command = new $class(static fn (InputInterface $input): CliServices => $services());
            $command->setName('mcp-guard:' . $command->getName());
            $commands[] = $command;
        }
        foreach ($commands as $command) {
            $ttl = $command->getDefinition()->hasOption('ttl') ? $command->getDefinition()->getOption('ttl') : null;
            if ($ttl !== null && $defaultLifetimeDays !== null && $command->getName() === 'mcp-guard:token:create') {
                $ttl->setDefault($defaultLifetimeDays . 'd');
            }
        }
        return $commands;
    }
}
