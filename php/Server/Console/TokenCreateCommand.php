<?php

declare(strict_types=1);

namespace McpGuard\Server\Console;

use McpGuard\Server\OAuth\Store\Field;
use Symfony\Component\Console\Input\InputArgument;
use Symfony\Component\Console\Input\InputInterface;
use Symfony\Component\Console\Input\InputOption;
use Symfony\Component\Console\Output\OutputInterface;

/**
 * token:create <member>: issues an API token for a member of the list and
 * prints it once, alone on stdout (pipe it where it goes); only its hash is
 * stored. The scopes: --scopes, or a role's (--role), else the member's role's.
 */
final class TokenCreateCommand extends GuardCommand
{
    protected static $defaultName = 'token:create';

    protected function configure(): void
    {
        $this->setDescription('Issue an API token for a member (printed once, on stdout)')
            ->addArgument('member', InputArgument::REQUIRED, 'The member id (see member:list)')
            ->addOption('scopes', null, InputOption::VALUE_REQUIRED, 'Scopes, comma or space separated (e.g. read,write)')
            ->addOption('role', null, InputOption::VALUE_REQUIRED, "A role whose scopes the token gets (default: the member's role)")
            ->addOption('name', null, InputOption::VALUE_REQUIRED, 'A label for token:list')
            ->addOption('ttl', null, InputOption::VALUE_REQUIRED, 'Lifetime: seconds, or 30d, 12h, … (default: the maximum, mcp_guard.max_token_lifetime_days)');
    }

    protected function handle(InputInterface $input, OutputInterface $output, CliServices $services): int
    {
        $member = (string) $input->getArgument('member');
        $role = $services->members()->role($member);
        if ($role === null) {
            throw ConsoleError::invalid("No member '{$member}': add them first (member:add).");
        }
        $scopes = $this->scopes($input, $services, $role);
        $name = $input->getOption('name');
        if (is_string($name) && $name !== '') {
            Field::text('token name', $name, 191);
        }
        $lifetime = self::duration('ttl', $input->getOption('ttl'));

        $issued = $services->tokens()->issue($member, $scopes, is_string($name) ? $name : '', $lifetime, $services->now());
        $services->recordAdminEvent('token_issued', ['principal' => $member, 'tokenId' => $issued->publicId()]);

        $output->writeln($issued->plaintext(), OutputInterface::OUTPUT_RAW);
        $expires = $issued->expiresAt() === null ? 'never expires' : 'expires ' . gmdate('Y-m-d H:i:s', $issued->expiresAt()) . 'Z';
        $this->say("Token {$issued->publicId()} for '{$member}' (scopes: " . (implode(' ', $scopes) ?: 'none') . "; {$expires}).");
        $this->say('It is shown once, above: store it now. Only its hash is kept.');
        return ExitCode::OK;
    }

    /** @return list<string> */
    private function scopes(InputInterface $input, CliServices $services, string $memberRole): array
    {
        $scopes = $input->getOption('scopes');
        $role = $input->getOption('role');
        if ($scopes !== null && $role !== null) {
            throw ConsoleError::invalid('Give --scopes or --role, not both.');
        }
        if (is_string($scopes)) {
            $list = preg_split('/[\s,]+/', trim($scopes), -1, PREG_SPLIT_NO_EMPTY) ?: [];
            if ($list === []) {
                throw ConsoleError::invalid('--scopes names no scope.');
            }
            \McpGuard\Scopes::check($list);
            return array_values(array_unique($list));
        }
        $role = is_string($role) ? $role : $memberRole;
        if (!in_array($role, $services->roles(), true)) {
            throw ConsoleError::invalid("Unknown role '{$role}' (roles: " . implode(', ', $services->roles()) . ').');
        }
        return array_values($services->policy()->scopesForRole($role));
    }
}
