<?php

declare(strict_types=1);

namespace McpGuard\PrestaShop;

use McpGuard\Server\Console\ConsoleApplication;
use Symfony\Component\Console\Input\ArrayInput;
use Symfony\Component\Console\Output\BufferedOutput;
use Symfony\Component\Console\Output\ConsoleOutputInterface;
use Symfony\Component\Console\Output\ConsoleSectionOutput;
use Symfony\Component\Console\Output\OutputInterface;

/**
 * The back office runs the admin CLI's own commands (`bin/mcp-guard`) in
 * process, on this shop's services: one implementation of every check,
 * audit event and message, whether an admin clicks or types.
 */
final class AdminConsole extends BufferedOutput implements ConsoleOutputInterface
{
    private OutputInterface $errors;

    private function __construct()
    {
        parent::__construct();
        $this->errors = new BufferedOutput();
    }

    /**
     * @param array<string, mixed> $input the command and its arguments (`['command' => 'member:add', 'id' => …, '--role' => …]`)
     * @return array{ok: bool, output: string, message: string}
     */
    public static function run(array $input): array
    {
        $app = new ConsoleApplication(Services::get()->cli());
        $app->setAutoExit(false);
        $app->setCatchExceptions(true);
        $out = new self();
        $code = $app->run(new ArrayInput($input + ['--no-interaction' => true]), $out);
        return ['ok' => $code === 0, 'output' => $out->fetch(), 'message' => trim($out->errors->fetch())];
    }

    /** @return list<array<string, mixed>> a list command's rows (--format=json) */
    public static function rows(array $input): array
    {
        $r = self::run($input + ['--format' => 'json']);
        return $r['ok'] ? json_decode($r['output'], true, 16, JSON_THROW_ON_ERROR) : [];
    }

    public function getErrorOutput(): OutputInterface
    {
        return $this->errors;
    }

    public function setErrorOutput(OutputInterface $error): void
    {
        $this->errors = $error;
    }

    public function section(): ConsoleSectionOutput
    {
        throw new \LogicException('No sections in the back office.');
    }
}
