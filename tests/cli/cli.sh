#!/usr/bin/env bash
# The admin CLI as a process: bin/mcp-guard run by PHP with the built module,
# on a configuration file and a SQLite database in a temporary directory.
# Checks stdout (only what a script pipes: the token, a list), stderr (one
# line per refusal, never a stack trace or a PHP warning) and the exit codes
# documented in docs/cli.md. The one background process (audit:tail
# --follow) runs in its own process group, stopped on exit with the
# directory removed (tests/lib/servers.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SO="${MCP_GUARD_SO:-$ROOT/target/release/libmcp_guard.so}"
[ -f "$SO" ] || { echo "no module at $SO: cargo build --release first"; exit 2; }
export MCP_GUARD_SO="$SO"

# shellcheck source=../lib/servers.sh
source "$ROOT/tests/lib/servers.sh"
DIR="$(mktemp -d)"
cleanup() { rm -rf "$DIR"; }
servers_trap cleanup
unset MCP_GUARD_CONFIG

FAILS=0
check() { # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: expected [$2], got [$3]"; FAILS=$((FAILS + 1)); fi
}
# run ARGS…: bin/mcp-guard; sets RC, OUT (stdout), ERR (stderr)
run() {
  set +e
  "$ROOT/scripts/php.sh" "$ROOT/bin/mcp-guard" "$@" >"$DIR/out" 2>"$DIR/err"
  RC=$?
  set -e
  OUT="$(cat "$DIR/out")"; ERR="$(cat "$DIR/err")"
}
# refused NAME CODE TEXT ARGS…: exit CODE, nothing on stdout, one line on stderr starting "mcp-guard: " and containing TEXT
refused() {
  local name="$1" code="$2" text="$3"; shift 3
  run "$@"
  check "$name: exit $code" "$code" "$RC"
  check "$name: stdout empty" "" "$OUT"
  check "$name: one line on stderr" "1" "$(printf '%s\n' "$ERR" | wc -l | tr -d ' ')"
  case "$ERR" in "mcp-guard: "*"$text"*) check "$name: says why" yes yes ;; *) check "$name: says why ($text)" "$text" "$ERR" ;; esac
  case "$ERR" in *"Stack trace"*|*"PHP Warning"*|*"PHP Fatal"*|*"Deprecated"*) check "$name: no PHP noise" none "$ERR" ;; esac
}

cat >"$DIR/mcp-guard.php" <<'PHP'
<?php
return [
    'database' => ['sqlite' => 'guard.sqlite'],
    'tokens' => ['prefix' => 'shop', 'pepper' => 'cli-shell-test-pepper-0123456789abcdefghij'],
    'audit' => ['key' => 'cli-shell-test-audit-key-0123456789abcdef'],
];
PHP
C=(--config "$DIR/mcp-guard.php")

# 1. Configuration mistakes: exit 3, one line, nothing of the file quoted.
refused "no configuration" 3 "No configuration" member:list
refused "missing file" 3 "does not exist" member:list --config "$DIR/none.php"
printf '%s\n' "<?php return ['database' => ['sqlite' => 'x.sqlite'], 'password' => \"hunter2\" oops];" >"$DIR/broken.php"
refused "syntax error" 3 "syntax error on line 1" member:list --config "$DIR/broken.php"
case "$ERR" in *hunter2*) check "syntax error: the file is not quoted" no yes ;; esac
MCP_GUARD_CONFIG="$DIR/mcp-guard.php" run member:list --format=json
check "MCP_GUARD_CONFIG names the file" "0 []" "$RC $OUT"

# 2. Members and a token printed once, alone on stdout.
run member:add alice --role=editor --name=Alice "${C[@]}"
check "member:add" "0" "$RC"
check "member:add: stdout empty" "" "$OUT"
refused "unknown role" 2 "--role must be one of: editor, viewer" member:add bob --role=admin "${C[@]}"
run token:create alice --name=ci --ttl=30d "${C[@]}"
check "token:create" "0" "$RC"
TOKEN="$OUT"
[[ "$TOKEN" =~ ^shop_[A-Za-z0-9]{16}_[A-Za-z0-9]+$ ]] && check "token:create: stdout is the token alone" yes yes || check "token:create: stdout is the token alone" token "$TOKEN"
case "$ERR" in *"$TOKEN"*) check "token:create: the token is not on stderr" no yes ;; *"shown once"*) check "token:create: stderr says it is shown once" yes yes ;; *) check "token:create: stderr" "shown once" "$ERR" ;; esac
PIPED="$("$ROOT/scripts/php.sh" "$ROOT/bin/mcp-guard" token:create alice "${C[@]}" 2>/dev/null | wc -l | tr -d ' ')"
check "token:create | wc -l" "1" "$PIPED"

# The token verifies through TokenService with the server's settings (same file, same store).
verify() {
  "$ROOT/scripts/php.sh" -r '
    require "/usr/share/php/Symfony/Component/Console/autoload.php";
    require $argv[1] . "/php/autoload.php";
    $s = new McpGuard\Server\Console\CliServices(McpGuard\Server\Console\CliConfig::load($argv[2]));
    try {
        $who = $s->tokens()->authenticate("Bearer " . $argv[3]);
        echo $who->subject, " ", $s->members()->role($who->subject) ?? "no-member", " ", implode(",", $who->scopes);
    } catch (McpGuard\Exception\InvalidTokenException $e) {
        echo "refused ", $e->reason();
    }' "$ROOT" "$DIR/mcp-guard.php" "$1"
}
check "the token authenticates" "alice editor discover,read,write" "$(verify "$TOKEN")"

run token:list --format=json "${C[@]}"
check "token:list" "0" "$RC"
PUBLIC_ID="$(printf '%s' "$TOKEN" | cut -d_ -f2)"
case "$OUT" in *"\"public_id\": \"$PUBLIC_ID\""*) check "token:list names the public id" yes yes ;; *) check "token:list names the public id" "$PUBLIC_ID" "$OUT" ;; esac
case "$OUT" in *"${TOKEN:22:20}"*|*hmac-sha256*|*sha256:*) check "token:list shows no secret or hash" no yes ;; *) check "token:list shows no secret or hash" yes yes ;; esac

# 3. Bad input: exit 2, one line.
refused "unknown member" 2 "No member 'mallory'" token:create mallory "${C[@]}"
refused "malformed public id" 2 "malformed" token:revoke 'not an id' "${C[@]}"
refused "unknown public id" 2 "No token with the public id" token:revoke ZZZZZZZZZZZZZZZZ "${C[@]}"
refused "non-UTF-8 argument" 2 "not UTF-8" member:add "$(printf 'al\xffice')" --role=viewer "${C[@]}"
refused "unknown option" 2 "does not exist" token:list --bogus "${C[@]}"
refused "unknown command" 2 "not defined" token:nope "${C[@]}"
refused "rate-limit key state" 5 "nothing was recorded" ratelimit:status --key=token:x "${C[@]}"

# 4. Rotation prints the successor once; revocation and removal stop tokens.
run token:rotate "$PUBLIC_ID" --overlap=1h "${C[@]}"
check "token:rotate" "0" "$RC"
NEW="$OUT"
check "the successor authenticates" "alice editor discover,read,write" "$(verify "$NEW")"
check "the old token works in the overlap" "alice editor discover,read,write" "$(verify "$TOKEN")"
run token:revoke "$PUBLIC_ID" "${C[@]}"
check "token:revoke" "0" "$RC"
check "a revoked token is refused" "refused revoked" "$(verify "$TOKEN")"
run member:remove alice "${C[@]}"
check "member:remove" "0" "$RC"
case "$ERR" in *"stop working on the next request"*) check "member:remove says the tokens stop" yes yes ;; *) check "member:remove says the tokens stop" yes "$ERR" ;; esac
check "a removed member's token has no member" "alice no-member discover,read,write" "$(verify "$NEW")"

# 5. The audit trail: one event per change above, verified; one edited or
#    deleted row (through PHP's PDO, as an intruder with the database file
#    would) makes audit:verify exit 1 and name it.
run audit:tail -n 3 --format=json "${C[@]}"
check "audit:tail" "0" "$RC"
TYPES="$(printf '%s' "$OUT" | "$ROOT/scripts/php.sh" -r 'echo implode(",", array_column(json_decode(stream_get_contents(STDIN), true), "type"));')"
check "audit:tail: the newest events, oldest first" "token_rotated,token_revoked,member_removed" "$TYPES"
run audit:verify "${C[@]}"
check "audit:verify on the intact chain" "0 ok: 6 row(s) verified, the chain is intact." "$RC $OUT"
sql() {
  "$ROOT/scripts/php.sh" -r '$pdo = new PDO("sqlite:" . $argv[1]); $pdo->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION); $pdo->exec($argv[2]);' "$DIR/guard.sqlite" "$1"
}
sql "UPDATE mcp_guard_oauth_audit_events SET record = REPLACE(record, 'token_issued', 'token_revoked') WHERE seq = 2"
run audit:verify "${C[@]}"
check "audit:verify: an edited row (exit 1)" "1" "$RC"
case "$OUT" in "BROKEN at row 2: "*) check "audit:verify names the edited row" yes yes ;; *) check "audit:verify names the edited row" "BROKEN at row 2" "$OUT" ;; esac
sql "UPDATE mcp_guard_oauth_audit_events SET record = REPLACE(record, 'token_revoked', 'token_issued') WHERE seq = 2"
run audit:verify "${C[@]}"
check "audit:verify: restored" "0" "$RC"
sql "DELETE FROM mcp_guard_oauth_audit_events WHERE seq = 4"
run audit:verify --format=json "${C[@]}"
check "audit:verify: a deleted row" "1 {\"ok\":false,\"verified\":3,\"broken_at\":4,\"reason\":\"missing\",\"pending\":0}" "$RC $OUT"

# 6. audit:tail --follow prints the events appended while it runs, one line each.
start_server "$ROOT/scripts/php.sh" "$ROOT/bin/mcp-guard" audit:tail -n 1 --follow --interval=1 "${C[@]}" >"$DIR/follow" 2>"$DIR/follow.err"
FOLLOW=$SERVER_PID
sleep 1.5
run member:add carol --role=viewer "${C[@]}"
for _ in $(seq 1 50); do grep -q carol "$DIR/follow" && break; sleep 0.1; done
stop_server "$FOLLOW"
LAST="$(tail -n 1 "$DIR/follow" | cut -f3,5)"
check "audit:tail --follow prints a new event" "$(printf 'member_added\tcarol')" "$LAST"
check "audit:tail --follow: one line per event" "2" "$(wc -l <"$DIR/follow" | tr -d ' ')"
# (scripts/php.sh, the bash wrapper, may report its php child's SIGTERM as
# "Terminated": that line is the shell's, not the command's.)
check "audit:tail --follow: stderr empty" "" "$(grep -v '^Terminated$' "$DIR/follow.err" || true)"

echo
if [ "$FAILS" -gt 0 ]; then echo "cli.sh: $FAILS check(s) failed"; exit 1; fi
echo "cli.sh: all checks passed"
