<?php

declare(strict_types=1);

namespace McpGuard\Server\Console;

use McpGuard\Server\Token\TokenRecord;
use Symfony\Component\Console\Input\InputInterface;
use Symfony\Component\Console\Input\InputOption;
use Symfony\Component\Console\Output\OutputInterface;

/** token:list: every API token row (never its hash), newest first. */
final class TokenListCommand extends GuardCommand
{
    protected static $defaultName = 'token:list';

    private const COLUMNS = ['public_id', 'member', 'name', 'scopes', 'created_at', 'expires_at', 'revoked_at'];

    protected function configure(): void
    {
        $this->setDescription('List API tokens (public id, member, name, scopes, times; never a hash)')
            ->addOption('member', null, InputOption::VALUE_REQUIRED, "Only this member's tokens")
            ->addFormatOption();
    }

    protected function handle(InputInterface $input, OutputInterface $output, CliServices $services): int
    {
        $member = $input->getOption('member');
        $store = $services->tokenStore();
        $records = is_string($member) ? $store->forSubject($member) : $store->all();
        $this->rows($input, $output, self::COLUMNS, array_map(static fn (TokenRecord $r): array => [
            'public_id' => $r->publicId,
            'member' => $r->subject,
            'name' => $r->name,
            'scopes' => $r->scopes,
            'created_at' => $r->createdAt,
            'expires_at' => $r->expiresAt,
            'revoked_at' => $r->revokedAt,
        ], $records));
        return ExitCode::OK;
    }
}
