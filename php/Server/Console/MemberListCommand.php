<?php

declare(strict_types=1);

namespace McpGuard\Server\Console;

use McpGuard\Server\Member\MemberRecord;
use Symfony\Component\Console\Input\InputInterface;
use Symfony\Component\Console\Output\OutputInterface;

/** member:list: the members list, by id. */
final class MemberListCommand extends GuardCommand
{
    protected static $defaultName = 'member:list';

    protected function configure(): void
    {
        $this->setDescription('List the members and their roles')->addFormatOption();
    }

    protected function handle(InputInterface $input, OutputInterface $output, CliServices $services): int
    {
        $this->rows($input, $output, ['id', 'role', 'name', 'created_at'], array_map(static fn (MemberRecord $m): array => [
            'id' => $m->id, 'role' => $m->role, 'name' => $m->name, 'created_at' => $m->createdAt,
        ], $services->members()->list()));
        return ExitCode::OK;
    }
}
