<?php

declare(strict_types=1);

namespace McpGuard\Tests\Statamic\Support;

use Illuminate\Contracts\Debug\ExceptionHandler;

/**
 * Laravel's answers for the exceptions its middlewares throw (authorization
 * 403, authentication 401, HTTP exceptions their status); anything else is a
 * 500 whose body names it (tests only: the test sees what broke).
 */
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
        $status = match (true) {
            $e instanceof \Illuminate\Auth\Access\AuthorizationException => 403,
            $e instanceof \Illuminate\Auth\AuthenticationException => 401,
            $e instanceof \Symfony\Component\HttpKernel\Exception\HttpExceptionInterface => $e->getStatusCode(),
            default => 500,
        };
        return new \Illuminate\Http\Response('exception ' . get_class($e) . ': ' . $e->getMessage(), $status, ['Content-Type' => 'text/plain']);
    }

    public function renderForConsole($output, \Throwable $e)
    {
        $output->writeln(get_class($e) . ': ' . $e->getMessage());
    }
}
