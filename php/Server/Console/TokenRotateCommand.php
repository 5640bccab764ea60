<?php

declare(strict_types=1);

namespace McpGuard\Server\Console;

use McpGuard\Server\OAuth\Store\Field;
use Symfony\Component\Console\Input\InputArgument;
use Symfony\Component\Console\Input\InputInterface;
use Symfony\Component\Console\Input\InputOption;
use Symfony\Component\Console\Output\OutputInterface;

/**
 * token:rotate <publicId>: issues a successor with the same member, scopes and
 * name, printed once on stdout; the old token keeps working for the overlap
 * (default 7 days, never past its own expiry). A revoked or expired token
 * does not rotate.
 */
final class TokenRotateCommand extends GuardCommand
{
    protected static $defaultName = 'token:rotate';

    protected function configure(): void
    {
        $this->setDescription('Replace an API token (the new one is printed once; the old one works for the overlap)')
            ->addArgument('publicId', InputArgument::REQUIRED, 'The public id (token:list)')
            ->addOption('overlap', null, InputOption::VALUE_REQUIRED, 'How long the old token keeps working: seconds, or 1d, 12h, … (default 7d)')
            ->addOption('ttl', null, InputOption::VALUE_REQUIRED, "The new token's lifetime (default: the maximum)");
    }

    protected function handle(InputInterface $input, OutputInterface $output, CliServices $services): int
    {
        $id = self::publicId($input);
        $old = $services->tokenStore()->find($id);
        if ($old === null) {
            throw ConsoleError::invalid("No token with the public id '{$id}'.");
        }
        $overlap = self::duration('overlap', $input->getOption('overlap'));
        $lifetime = self::duration('ttl', $input->getOption('ttl'));
        $new = $services->tokens()->rotate($id, $overlap, $lifetime, $services->now());
        $services->recordAdminEvent('token_rotated', ['principal' => $old->subject, 'tokenId' => $new->publicId()]);

        $output->writeln($new->plaintext(), OutputInterface::OUTPUT_RAW);
        $until = $services->tokenStore()->find($id)?->expiresAt;
        $this->say("Token {$id} rotated to {$new->publicId()} (shown once, above: store it now).");
        $this->say("The old token keeps working until " . ($until === null ? 'it is revoked' : gmdate('Y-m-d H:i:s', $until) . 'Z') . '.');
        return ExitCode::OK;
    }

    /** The publicId argument: printable ASCII of at most 64 bytes (what the token store keys by). */
    public static function publicId(InputInterface $input): string
    {
        $id = (string) $input->getArgument('publicId');
        try {
            return Field::id('public id', $id, Field::PUBLIC_ID_MAX);
        } catch (\McpGuard\Exception\InvalidArgumentException $e) {
            throw ConsoleError::invalid('The public id is malformed (token:list shows them).', $e);
        }
    }
}
