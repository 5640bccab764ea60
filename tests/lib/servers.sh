# Sourced by the test scripts that start servers (php-fpm, php -S, redis-server,
# mariadbd). Every server runs in its own process group (its own session), so
# stopping it stops all of its children too: php -S with PHP_CLI_SERVER_WORKERS
# and php-fpm fork workers, and a SIGTERM to the php -S master alone leaves its
# workers running, re-parented to init.
#
#   source tests/lib/servers.sh
#   servers_trap cleanup_function   # EXIT (also on failure), INT, TERM, HUP
#   start_server cmd args... &>log  # then $SERVER_PID is its pid (= its group)
#
# The trap stops every group (SIGTERM, then SIGKILL after 5 s), waits for the
# leaders, then runs the script's own cleanup (temp dirs).

SERVER_GROUPS=()
SERVER_PID=""

# start_server CMD ARGS...: runs CMD in the background as the leader of a new
# session, and sets SERVER_PID to its pid. The subshell of `&` execs setsid
# (bash would otherwise keep it as CMD's parent, outside the group), and a
# background job of a script is never a group leader, so setsid does not fork
# either: $! is CMD itself.
start_server() {
  (exec setsid "$@") &
  SERVER_PID=$!
  SERVER_GROUPS+=("$SERVER_PID")
}

# group_alive SID: whether a process of session SID still runs (zombies,
# which only wait to be reaped, do not count).
group_alive() {
  ps -o stat= -g "$1" 2>/dev/null | grep -qv '^Z'
}

# stop_server PID: stops one server and everything in its group: SIGTERM,
# then SIGKILL for whatever still runs after 5 s.
stop_server() {
  local g="$1" i
  kill -TERM -- "-$g" 2>/dev/null || true
  for i in $(seq 1 50); do
    group_alive "$g" || break
    sleep 0.1
  done
  kill -KILL -- "-$g" 2>/dev/null || true
  wait "$g" 2>/dev/null || true
}

stop_servers() {
  local g
  for g in "${SERVER_GROUPS[@]}"; do stop_server "$g"; done
  SERVER_GROUPS=()
}

# servers_trap [CLEANUP]: stop every server (then run CLEANUP) whenever the
# script ends: normally, on a failed command (set -e), or interrupted.
servers_trap() {
  SERVERS_CLEANUP="${1:-}"
  trap 'stop_servers; if [ -n "$SERVERS_CLEANUP" ]; then "$SERVERS_CLEANUP"; fi' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
}
