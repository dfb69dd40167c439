# Sourced by the test harness scripts: ends a process we started and every descendant, by pid (never by name).
# Chromium is started by Playwright in a process group of its own, so killing our group alone could orphan it.

# Prints the pids of every descendant of $1, deepest first.
descendant_pids() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    descendant_pids "$child"
    echo "$child"
  done
}

# kill_tree PID: TERM to the process, its group and its descendants; KILL whatever is left after 5 s.
kill_tree() {
  local pid="$1" pids
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  pids="$(descendant_pids "$pid") $pid"
  kill -TERM -- "-$pid" 2>/dev/null || true
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  for _ in $(seq 1 50); do
    local alive=""
    for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ -z "$alive" ] && return 0
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
}
