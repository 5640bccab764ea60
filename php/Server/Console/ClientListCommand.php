<?php

declare(strict_types=1);

namespace McpGuard\Server\Console;

use McpGuard\Server\OAuth\Store\ClientRecord;
use McpGuard\Server\OAuth\Store\GrantRecord;
use Symfony\Component\Console\Input\InputInterface;
use Symfony\Component\Console\Output\OutputInterface;

/** client:list: the OAuth clients the server knows, with the grants members gave them. */
final class ClientListCommand extends GuardCommand
{
    protected static $defaultName = 'client:list';

    protected function configure(): void
    {
        $this->setDescription('List OAuth clients and their grants')->addFormatOption();
    }

    protected function handle(InputInterface $input, OutputInterface $output, CliServices $services): int
    {
        $stores = $services->oauth();
        $json = $input->getOption('format') === 'json';
        $rows = [];
        foreach ($stores->clients->all() as $c) {
            $grants = array_map(static fn (GrantRecord $g): array => [
                'member' => $g->memberId, 'redirect_uri' => $g->redirectUri, 'scopes' => $g->scopes,
                'created_at' => $g->createdAt, 'updated_at' => $g->updatedAt,
            ], $stores->grants->forClient($c->key));
            $rows[] = self::client($c) + ['grants' => $json ? $grants : self::grantLines($grants)];
        }
        $this->rows($input, $output, ['client_id', 'kind', 'created_at', 'last_used_at', 'consented_at', 'grants'], $rows);
        return ExitCode::OK;
    }

    /** @return array<string, mixed> */
    private static function client(ClientRecord $c): array
    {
        return ['client_id' => $c->clientId, 'kind' => $c->kind, 'created_at' => $c->createdAt,
            'last_used_at' => $c->lastUsedAt, 'consented_at' => $c->consentedAt];
    }

    /**
     * @param list<array{member: string, redirect_uri: string, scopes: list<string>}> $grants
     * @return list<string>
     */
    private static function grantLines(array $grants): array
    {
        return array_map(static fn (array $g): string => $g['member'] . ': ' . implode(' ', $g['scopes']) . ' -> ' . $g['redirect_uri'], $grants);
    }
}
