<?php

declare(strict_types=1);

namespace McpGuard\Server\Console;

use Symfony\Component\Console\Input\InputArgument;
use Symfony\Component\Console\Input\InputInterface;
use Symfony\Component\Console\Output\OutputInterface;

/** token:revoke <publicId>: the token stops working at once. */
final class TokenRevokeCommand extends GuardCommand
{
    protected static $defaultName = 'token:revoke';

    protected function configure(): void
    {
        $this->setDescription('Revoke an API token now')
            ->addArgument('publicId', InputArgument::REQUIRED, 'The public id (token:list)');
    }

    protected function handle(InputInterface $input, OutputInterface $output, CliServices $services): int
    {
        $id = TokenRotateCommand::publicId($input);
        $record = $services->tokenStore()->find($id);
        if ($record === null) {
            throw ConsoleError::invalid("No token with the public id '{$id}'.");
        }
        if ($record->revokedAt !== null) {
            $this->say("Token {$id} was revoked already (" . gmdate('Y-m-d H:i:s', $record->revokedAt) . 'Z).');
            return ExitCode::OK;
        }
        $services->tokens()->revoke($id, $services->now());
        $services->recordAdminEvent('token_revoked', ['principal' => $record->subject, 'tokenId' => $id]);
        $this->say("Token {$id} of '{$record->subject}' is revoked: it is refused from the next request on.");
        return ExitCode::OK;
    }
}
