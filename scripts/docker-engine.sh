#!/usr/bin/env bash
# Starts or stops a local Docker engine for CI and the container test suite (Debian's docker.io, run as root).
#   scripts/docker-engine.sh start    install docker.io if needed, start dockerd, wait for its socket
#   scripts/docker-engine.sh stop     stop the dockerd this script started (by its pid file)
#   scripts/docker-engine.sh status   exit 0 when an engine answers
set -euo pipefail

STATE_DIR="${LAMBDA_WORKBENCH_DOCKERD_DIR:-/tmp/lambda-workbench-dockerd}"
PID_FILE="$STATE_DIR/dockerd.pid"
LOG_FILE="$STATE_DIR/dockerd.log"
SOCKET="/var/run/docker.sock"
WAIT_SECONDS=60

engine_answers() {
  curl --silent --fail --max-time 2 --unix-socket "$SOCKET" http://localhost/_ping >/dev/null 2>&1
}

install_engine() {
  if command -v dockerd >/dev/null 2>&1; then return 0; fi
  echo "docker-engine: installing Debian's docker.io" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
}

start_engine() {
  if engine_answers; then
    echo "docker-engine: an engine already answers on $SOCKET; not starting another" >&2
    return 0
  fi
  install_engine
  mkdir -p "$STATE_DIR"
  # setsid: dockerd gets its own session, so a Ctrl-C in the caller's terminal does not reach it.
  setsid dockerd >"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 $((WAIT_SECONDS * 4))); do
    if engine_answers; then
      echo "docker-engine: dockerd $(cat "$PID_FILE") answers on $SOCKET" >&2
      return 0
    fi
    if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      echo "docker-engine: dockerd exited during start; last lines of $LOG_FILE:" >&2
      tail -n 20 "$LOG_FILE" >&2
      rm -f "$PID_FILE"
      return 1
    fi
    sleep 0.25
  done
  echo "docker-engine: dockerd did not answer within ${WAIT_SECONDS}s; see $LOG_FILE" >&2
  return 1
}

stop_engine() {
  if [[ ! -f "$PID_FILE" ]]; then
    echo "docker-engine: no pid file at $PID_FILE; nothing this script started is running" >&2
    return 0
  fi
  local pid
  pid="$(cat "$PID_FILE")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 120); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "docker-engine: dockerd $pid ignored SIGTERM for 30s; sending SIGKILL" >&2
      kill -KILL "$pid"
    fi
  fi
  rm -f "$PID_FILE"
  echo "docker-engine: stopped dockerd $pid" >&2
}

case "${1:-}" in
  start) start_engine ;;
  stop) stop_engine ;;
  status) engine_answers ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
