<?php

declare(strict_types=1);

namespace McpGuard\Server\Console;

use Symfony\Component\Console\Input\InputArgument;
use Symfony\Component\Console\Input\InputInterface;
use Symfony\Component\Console\Output\OutputInterface;

/**
 * member:remove <id>: takes a member off the list. The server asks the list on
 * every request, so every token the member holds (API tokens, OAuth tokens)
 * is refused from the next request on; the rows stay for the record.
 */
final class MemberRemoveCommand extends GuardCommand
{
    protected static $defaultName = 'member:remove';

    protected function configure(): void
    {
        $this->setDescription('Remove a member (their tokens stop working on the next request)')
            ->addArgument('id', InputArgument::REQUIRED, 'The member id');
    }

    protected function handle(InputInterface $input, OutputInterface $output, CliServices $services): int
    {
        $id = (string) $input->getArgument('id');
        if (!$services->members()->remove($id)) {
            throw ConsoleError::invalid("No member '{$id}'.");
        }
        $services->recordAdminEvent('member_removed', ['principal' => $id]);
        $tokens = count(array_filter($services->tokenStore()->forSubject($id), static fn ($r): bool => $r->revokedAt === null));
        $this->say("Member '{$id}' removed. Their tokens ({$tokens} API token(s) not revoked, and any OAuth token) "
            . 'stop working on the next request: the server checks the members list on every request.');
        return ExitCode::OK;
    }
}
