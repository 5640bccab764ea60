<?php

declare(strict_types=1);

namespace McpGuard\Examples\Shop;

use Symfony\Component\Console\Output\BufferedOutput;
use Symfony\Component\Console\Output\ConsoleOutputInterface;
use Symfony\Component\Console\Output\ConsoleSectionOutput;
use Symfony\Component\Console\Output\OutputInterface;

/**
 * Stdout and stderr of an in-process mcp-guard command, kept apart (a
 * command prints its result on stdout and its messages on stderr).
 */
final class CapturedOutput extends BufferedOutput implements ConsoleOutputInterface
{
    private OutputInterface $stderr;

    public function __construct()
    {
        parent::__construct();
        $this->stderr = new BufferedOutput();
    }

    /** @return BufferedOutput */
    public function getErrorOutput(): OutputInterface
    {
        return $this->stderr;
    }

    public function setErrorOutput(OutputInterface $error): void
    {
        $this->stderr = $error;
    }

    public function section(): ConsoleSectionOutput
    {
        throw new \LogicException('No sections here.');
    }
}
