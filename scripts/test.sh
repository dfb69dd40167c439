#!/usr/bin/env bash
# The whole test suite (README's test command runs it after scripts/setup.sh): lint, then unit, fuzz, reliability, apps, adapter, container, VS Code, end to end.
# Each suite runs with its real dependencies; the closing line sums them up as "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

mkdir -p test-results
# Functions that import the AWS SDK without bundling it get it from a cache npm fills once (awsSdkModules.ts), and the CLI
# keeps V8's code cache of its bundle (bundleCodeCache.ts): one cache of each for this run, removed at the end, never the
# user's ~/.cache.
sdk_cache=""
if [ -z "${LAMBDA_WORKBENCH_SDK_CACHE:-}" ]; then
  sdk_cache=$(mktemp -d)
  export LAMBDA_WORKBENCH_SDK_CACHE=$sdk_cache
fi
code_cache=""
if [ -z "${LAMBDA_WORKBENCH_CODE_CACHE:-}" ]; then
  code_cache=$(mktemp -d)
  export LAMBDA_WORKBENCH_CODE_CACHE=$code_cache
fi
summary=test-results/summary.txt
: >"$summary"
status=0

# Lint first (eslint.config.mjs, including the dependency rule of docs/ARCHITECTURE.md): a violation fails the run.
lint() {
  npm run --silent lint || { echo "lint failed: run 'npm run lint' and fix the findings"; exit 1; }
}

build() {
  node esbuild.mjs && npx tsc -p . || { echo "build failed"; exit 1; }
}

# Runs one node:test suite and records its pass/fail/skip counts.
run_suite() {
  local name=$1; shift
  local files=("$@")
  if [ ${#files[@]} -eq 0 ]; then return; fi
  echo "=== suite: $name (${#files[@]} files)"
  local log="test-results/$name.log"
  # A hung test fails after 5 minutes instead of holding the whole run. test/support/hygiene.ts fails a file that leaves a
  # process, a listening socket, a container or a temporary file behind.
  node --test --test-concurrency=1 --test-timeout=300000 --import ./out/test/support/hygiene.js \
       --test-reporter=spec --test-reporter-destination=stdout \
       --test-reporter=tap --test-reporter-destination="test-results/$name.tap" "${files[@]}" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local pass fail skip
  pass=$(grep -E '^# pass ' "test-results/$name.tap" | tail -1 | awk '{print $3}')
  fail=$(grep -E '^# fail ' "test-results/$name.tap" | tail -1 | awk '{print $3}')
  skip=$(grep -E '^# skipped ' "test-results/$name.tap" | tail -1 | awk '{print $3}')
  echo "$name ${pass:-0} ${fail:-0} ${skip:-0} $rc" >>"$summary"
  if [ "$rc" -ne 0 ]; then status=1; fi
}

# Runs a suite script that prints its own "N passed, N failed" line or node:test's TAP counts (the VS Code suites).
run_script_suite() {
  local name=$1 script=$2
  echo "=== suite: $name"
  local log="test-results/$name.log"
  bash "$script" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local line pass fail skip
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
  if [ -n "$line" ]; then
    pass=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
    fail=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
    skip=$(echo "$line" | grep -oE '[0-9]+ skipped' | awk '{print $1}')
  elif grep -qE '^# pass [0-9]+' "$log"; then
    # A node:test (TAP) suite run by the script.
    pass=$(grep -E '^# pass ' "$log" | tail -1 | awk '{print $3}')
    fail=$(grep -E '^# fail ' "$log" | tail -1 | awk '{print $3}')
    skip=$(grep -E '^# skipped ' "$log" | tail -1 | awk '{print $3}')
  else
    fail=1; rc=1; echo "$name printed no result line"
  fi
  echo "$name ${pass:-0} ${fail:-0} ${skip:-0} $rc" >>"$summary"
  if [ "$rc" -ne 0 ]; then status=1; fi
}

lint
build

shopt -s nullglob
run_suite unit out/test/unit/*.test.js
run_suite fuzz out/test/fuzz/*.test.js
# The reliability suite's container faults, the container suite and the adapter's container sessions need a Docker engine: start one if none answers
# (and stop it afterwards, whatever happens).
if ! docker info >/dev/null 2>&1 && bash scripts/docker-engine.sh start; then
  trap 'bash scripts/docker-engine.sh stop' EXIT
fi
# Real `start` processes killed, restarted and confined (bubblewrap: a read-only or full state directory).
run_suite reliability out/test/reliability/*.test.js
# Third-party SAM applications (test/fixtures/samApps) under `start`: their dependencies come from the npm registry (npm's cache first).
run_suite apps out/test/apps/*.test.js

run_suite adapter out/test/adapter/*.test.js
run_suite container out/test/container/*.test.js
# The load suite at a fiftieth of `npm run test:load`'s counts (400 synchronous invocations, 100 asynchronous events):
# the same checks in about a minute on a 2-core machine.
export LWB_LOAD_SCALE=${LWB_LOAD_SCALE:-0.02}
run_suite load out/test/load/*.test.js

[ -f scripts/vscode-tests.sh ] && run_script_suite vscode scripts/vscode-tests.sh
[ -f scripts/e2e-tests.sh ] && run_script_suite e2e scripts/e2e-tests.sh

[ -n "$sdk_cache" ] && rm -rf "$sdk_cache"
[ -n "$code_cache" ] && rm -rf "$code_cache"

echo
echo "suite      passed failed skipped exit"
awk '{ printf "%-10s %6s %6s %7s %4s\n", $1, $2, $3, $4, $5 }' "$summary"
awk '{ p += $2; f += $3; s += $4 } END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$summary"
exit $status
