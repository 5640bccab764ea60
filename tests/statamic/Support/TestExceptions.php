<?php

declare(strict_types=1);

namespace McpGuard\Tests\Statamic\Support;

use Illuminate\Contracts\Debug\ExceptionHandler;

/** An exception in the app is a 500 whose body names it (tests only: the test sees what broke). */
final class TestExceptions implements ExceptionHandler
{
    public function report(\Throwable $e)
    {
    }

    public function shouldReport(\Throwable $e)
    {
        return false;
    }

    public function render($request, \Throwable $e)
    {
        return new \Illuminate\Http\Response('exception ' . get_class($e) . ': ' . $e->getMessage(), 500, ['Content-Type' => 'text/plain']);
    }

    public function renderForConsole($output, \Throwable $e)
    {
        $output->writeln(get_class($e) . ': ' . $e->getMessage());
    }
}
