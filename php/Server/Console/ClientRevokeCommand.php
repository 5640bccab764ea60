<?php

declare(strict_types=1);

namespace McpGuard\Server\Console;

use McpGuard\Server\OAuth\Client\ClientResolver;
use Symfony\Component\Console\Input\InputArgument;
use Symfony\Component\Console\Input\InputInterface;
use Symfony\Component\Console\Input\InputOption;
use Symfony\Component\Console\Output\OutputInterface;

/**
 * client:revoke <client>: every member's grants to the client are removed and
 * every refresh-token family issued to it is revoked, with its refresh and
 * access tokens. With --delete the client row goes too (a registered client
 * must register again; a metadata-document client is fetched again).
 */
final class ClientRevokeCommand extends GuardCommand
{
    protected static $defaultName = 'client:revoke';

    protected function configure(): void
    {
        $this->setDescription("Revoke an OAuth client's grants and tokens")
            ->addArgument('client', InputArgument::REQUIRED, 'The client id (client:list)')
            ->addOption('delete', null, InputOption::VALUE_NONE, 'Also delete the client itself');
    }

    protected function handle(InputInterface $input, OutputInterface $output, CliServices $services): int
    {
        $clientId = (string) $input->getArgument('client');
        $stores = $services->oauth();
        $key = ClientResolver::key($clientId);
        if ($stores->clients->find($key) === null) {
            throw ConsoleError::invalid("No OAuth client '{$clientId}' (client:list shows them).");
        }
        $now = $services->now();
        // The tokens first (they stop at once), then the grants the consent page would reuse.
        $families = $stores->families->revokeClient($key, $now);
        $grants = 0;
        foreach ($stores->grants->forClient($key) as $grant) {
            $grants += $stores->grants->revoke($grant->memberId, $key);
        }
        $deleted = $input->getOption('delete') === true && $stores->clients->delete($key);
        $services->recordAdminEvent('client_revoked', ['clientId' => $clientId]);
        $this->say("Client '{$clientId}': {$grants} grant(s) removed, {$families} token family(ies) revoked with their refresh and access tokens"
            . ($deleted ? '; the client is deleted.' : '.'));
        return ExitCode::OK;
    }
}
