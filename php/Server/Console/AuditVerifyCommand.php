<?php

declare(strict_types=1);

namespace McpGuard\Server\Console;

use McpGuard\Server\Audit\AuditVerifier;
use Symfony\Component\Console\Helper\ProgressBar;
use Symfony\Component\Console\Input\InputInterface;
use Symfony\Component\Console\Input\InputOption;
use Symfony\Component\Console\Output\OutputInterface;

/**
 * audit:verify: checks the audit hash chain from the first row to the head
 * (the extension recomputes every link) and names the first broken row.
 * Exit code 0: intact; 1: broken. A run over PROGRESS_FROM rows or more shows
 * a progress bar on stderr.
 */
final class AuditVerifyCommand extends GuardCommand
{
    protected static $defaultName = 'audit:verify';

    /** Rows from which the progress bar is shown. */
    public const PROGRESS_FROM = 10000;

    protected function configure(): void
    {
        $this->setDescription('Verify the audit hash chain (exit code 1 and the first broken row when it is broken)')
            ->addOption('no-progress', null, InputOption::VALUE_NONE, 'No progress bar')
            ->addFormatOption();
    }

    protected function handle(InputInterface $input, OutputInterface $output, CliServices $services): int
    {
        $log = $services->auditLog();
        $bar = null;
        $progress = null;
        if (!$input->getOption('no-progress')) {
            $progress = function (int $done, int $total) use (&$bar): void {
                if ($total < self::PROGRESS_FROM) {
                    return;
                }
                if ($bar === null) {
                    $bar = new ProgressBar($this->stderr(), $total);
                    $bar->setRedrawFrequency(max(1, intdiv($total, 100)));
                    $bar->start();
                }
                $bar->setProgress(min($done, $total));
            };
        }
        $report = AuditVerifier::verify($log, $services->auditChain(), $progress);
        if ($bar instanceof ProgressBar) {
            $bar->finish();
            $this->stderr()->writeln('');
        }
        if ($report->pending > 0) {
            $this->say("{$report->pending} row(s) after the head were not verified (appended while this ran, or without updating the head).");
        }
        if ($input->getOption('format') === 'json') {
            $output->writeln(json_encode(['ok' => $report->ok, 'verified' => $report->verified, 'broken_at' => $report->brokenAt, 'reason' => $report->reason, 'pending' => $report->pending],
                JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES), OutputInterface::OUTPUT_RAW);
        } elseif ($report->ok) {
            $output->writeln("ok: {$report->verified} row(s) verified, the chain is intact.", OutputInterface::OUTPUT_RAW);
        } else {
            $output->writeln(Text::plain("BROKEN at row {$report->brokenAt}: {$report->reason} ({$report->verified} row(s) verified before it)."), OutputInterface::OUTPUT_RAW);
        }
        return $report->ok ? ExitCode::OK : ExitCode::BROKEN;
    }
}
