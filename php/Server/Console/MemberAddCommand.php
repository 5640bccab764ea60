<?php

declare(strict_types=1);

namespace McpGuard\Server\Console;

use Symfony\Component\Console\Input\InputArgument;
use Symfony\Component\Console\Input\InputInterface;
use Symfony\Component\Console\Input\InputOption;
use Symfony\Component\Console\Output\OutputInterface;

/** member:add <id> --role=…: adds a member, or changes a member's role and name. */
final class MemberAddCommand extends GuardCommand
{
    protected static $defaultName = 'member:add';

    protected function configure(): void
    {
        $this->setDescription('Add a member (or change their role)')
            ->addArgument('id', InputArgument::REQUIRED, 'The member id tokens and grants are issued to')
            ->addOption('role', null, InputOption::VALUE_REQUIRED, 'viewer, editor, or a role of the policy manifest')
            ->addOption('name', null, InputOption::VALUE_REQUIRED, 'A display name');
    }

    protected function handle(InputInterface $input, OutputInterface $output, CliServices $services): int
    {
        $id = (string) $input->getArgument('id');
        $role = $input->getOption('role');
        $roles = $services->roles();
        if (!is_string($role) || !in_array($role, $roles, true)) {
            throw ConsoleError::invalid('--role must be one of: ' . implode(', ', $roles) . '.');
        }
        $name = $input->getOption('name');
        $members = $services->members();
        $before = $members->role($id);
        $record = $members->add($id, $role, is_string($name) ? $name : null, $services->now());
        $services->recordAdminEvent('member_added', ['principal' => $record->id]);
        $this->say($before === null
            ? "Member '{$record->id}' added as {$record->role}."
            : "Member '{$record->id}' is now {$record->role} (was {$before}): it applies from the next request on.");
        return ExitCode::OK;
    }
}
