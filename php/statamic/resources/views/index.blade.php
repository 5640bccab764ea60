@extends('statamic::layout')
@section('title', 'MCP Guard')

@section('content')
    <header class="mb-6">
        <h1>MCP Guard</h1>
        <p>The MCP endpoint: <code>{{ $endpoint }}</code>. Members and tokens are managed with
            <code>php artisan mcp-guard:member:add|remove</code> and <code>mcp-guard:token:create|revoke|rotate</code>.</p>
    </header>

    <div class="card p-4 mb-6">
        <h2>Members</h2>
        <table class="data-table">
            <thead><tr><th>User id</th><th>Name</th><th>Role</th></tr></thead>
            <tbody>
            @foreach ($members as $m)
                <tr><td>{{ $m->id }}</td><td>{{ $m->name }}</td><td>{{ $m->role }}</td></tr>
            @endforeach
            </tbody>
        </table>
    </div>

    <div class="card p-4">
        <h2>Tokens</h2>
        <table class="data-table">
            <thead><tr><th>Public id</th><th>Member</th><th>Name</th><th>Scopes</th><th>Expires</th><th>Revoked</th></tr></thead>
            <tbody>
            @foreach ($tokens as $t)
                <tr>
                    <td>{{ $t->publicId }}</td><td>{{ $t->subject }}</td><td>{{ $t->name }}</td><td>{{ implode(' ', $t->scopes) }}</td>
                    <td>{{ $t->expiresAt === null ? 'never' : gmdate('Y-m-d H:i', $t->expiresAt) . ' UTC' }}</td>
                    <td>{{ $t->revokedAt === null ? '' : gmdate('Y-m-d H:i', $t->revokedAt) . ' UTC' }}</td>
                </tr>
            @endforeach
            </tbody>
        </table>
    </div>
@endsection
