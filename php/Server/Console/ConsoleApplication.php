<?php

declare(strict_types=1);

namespace McpGuard\Server\Console;

use Symfony\Component\Console\Application;
use Symfony\Component\Console\Command\Command;
use Symfony\Component\Console\Exception\CommandNotFoundException;
use Symfony\Component\Console\Exception\ExceptionInterface;
use Symfony\Component\Console\Input\InputDefinition;
use Symfony\Component\Console\Input\InputInterface;
use Symfony\Component\Console\Input\InputOption;
use Symfony\Component\Console\Output\ConsoleOutputInterface;
use Symfony\Component\Console\Output\OutputInterface;

/**
 * bin/mcp-guard: the admin commands on one configuration (--config FILE or
 * MCP_GUARD_CONFIG). A usage error (unknown command or option, missing
 * argument) is one line on stderr and exit code 2.
 */
final class ConsoleApplication extends Application
{
    /** @var list<class-string<GuardCommand>> */
    public const COMMANDS = [
        TokenCreateCommand::class, TokenListCommand::class, TokenRevokeCommand::class, TokenRotateCommand::class,
        MemberAddCommand::class, MemberRemoveCommand::class, MemberListCommand::class,
        ClientListCommand::class, ClientRevokeCommand::class,
        RateLimitStatusCommand::class, AuditTailCommand::class, AuditVerifyCommand::class,
    ];

    private ?CliServices $services;

    /** @param CliServices|null $services null: built from the configuration file on first use */
    public function __construct(?CliServices $services = null)
    {
        parent::__construct('mcp-guard', (string) (phpversion('mcp_guard') ?: 'unknown'));
        $this->services = $services;
        $this->getDefinition()->addOption(new InputOption('config', 'c', InputOption::VALUE_REQUIRED,
            'The configuration file (PHP returning an array); default: $' . CliConfig::ENV));
        $resolve = function (InputInterface $input): CliServices {
            if ($this->services === null) {
                $option = $input->hasOption('config') ? $input->getOption('config') : null;
                $this->services = new CliServices(CliConfig::load(CliConfig::locate(is_string($option) ? $option : null)));
            }
            return $this->services;
        };
        foreach (self::COMMANDS as $class) {
            $this->add(new $class(\Closure::fromCallable($resolve)));
        }
    }

    /**
     * Symfony's options, with `-n` left to audit:tail (its line count, as in
     * tail(1)): --no-interaction has no shortcut here (no command asks anything).
     */
    protected function getDefaultInputDefinition(): InputDefinition
    {
        $options = [];
        foreach (parent::getDefaultInputDefinition()->getOptions() as $option) {
            $options[] = $option->getName() === 'no-interaction'
                ? new InputOption('no-interaction', null, InputOption::VALUE_NONE, $option->getDescription())
                : $option;
        }
        return new InputDefinition([parent::getDefaultInputDefinition()->getArgument('command'), ...$options]);
    }

    /**
     * Exact command names only: Symfony would run `token:rev` as
     * token:revoke; a command that revokes or removes is never guessed.
     */
    public function find(string $name): Command
    {
        if (!$this->has($name)) {
            throw new CommandNotFoundException(sprintf('Command "%s" is not defined (mcp-guard list shows the commands).', $name));
        }
        return $this->get($name);
    }

    public function doRun(InputInterface $input, OutputInterface $output): int
    {
        try {
            return parent::doRun($input, $output);
        } catch (ExceptionInterface $e) {
            $err = $output instanceof ConsoleOutputInterface ? $output->getErrorOutput() : $output;
            $message = trim((string) preg_replace('/\s*\R\s*/', ' ', $e->getMessage()));
            $err->writeln('mcp-guard: ' . Text::plain($message), OutputInterface::OUTPUT_RAW);
            return ExitCode::INVALID;
        }
    }
}
