#!/usr/bin/env bash
# Runs the integration suite (test/vscode, mocha inside the extension host) in code-server 4.100.3 driven by Chromium.
# The workbench is opened with the `payload` URL parameter (extensionDevelopmentPath / extensionTestsPath); the suite
# writes its results to a file this script reads. Exits non-zero when a test fails or the suite never reports.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_DIR"
export npm_config_yes=true

CODE_SERVER_ENTRY="$(bash scripts/code-server.sh)"
# LWB_SKIP_BUILD=1: the caller (e.g. scripts/test.sh) already ran the build and the test compilation.
if [ "${LWB_SKIP_BUILD:-}" != 1 ]; then
  node esbuild.mjs
  npx tsc -p .
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lwb-vscode-tests.XXXXXX")"
SERVER_PID=""
DRIVER_PID=""
# shellcheck source=scripts/processTree.sh
source "$REPO_DIR/scripts/processTree.sh"
# shellcheck source=scripts/lib/codeServer.sh
source "$REPO_DIR/scripts/lib/codeServer.sh"
cleanup() {
  # End the whole trees: the driver with its Chromium, code-server with its extension host and instances.
  kill_tree "$DRIVER_PID"
  kill_tree "$SERVER_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

prepare_code_server_workspace
mkdir -p test-results
# Functions importing the AWS SDK without bundling it get it from a cache npm fills once (awsSdkModules.ts): the run's
# (scripts/test.sh sets one), else one that goes away with $WORK, never the user's ~/.cache.
export LAMBDA_WORKBENCH_SDK_CACHE="${LAMBDA_WORKBENCH_SDK_CACHE:-$WORK/sdk-cache}"

SERVER_LOG="$REPO_DIR/test-results/vscode-code-server.log"
# LWB_VSCODE_SUITES: which runs (default both): `main` (trust off, test/vscode/*.test.js) and `restricted` (a second
# code-server with workspace trust on and the folder untrusted: test/vscode/restricted, Restricted Mode as users get it).
SUITES="${LWB_VSCODE_SUITES:-main restricted}"
RESULT_FILES=()

# run_in_code_server NAME SUITE_FOLDER [CODE_SERVER_ARGS...]: one code-server, the suite inside it, then both stopped.
run_in_code_server() {
  local name="$1" suite="$2"
  shift 2
  local port results="$WORK/$name-results.json"
  port="$(free_loopback_port)"
  RESULT_FILES+=("$results")
  # The extension host inherits this environment: the suite writes its results where LWB_VSCODE_TEST_RESULTS says.
  LWB_VSCODE_TEST_RESULTS="$results" LWB_VSCODE_TEST_SUITE="$suite" start_code_server "$port" "$SERVER_LOG" "$@"
  setsid node out/test/vscode/runner/runIntegrationTests.js "http://127.0.0.1:$port" "$WORK/workspace" "$REPO_DIR" \
    "$REPO_DIR/out/test/vscode/index.js" "$results" "$REPO_DIR/test-results/vscode-$name.png" &
  DRIVER_PID=$!
  local code=0
  wait "$DRIVER_PID" || code=$?
  [ "$code" -eq 0 ] || { print_code_server_log "$SERVER_LOG" 40; status=1; }
  kill_tree "$DRIVER_PID"
  kill_tree "$SERVER_PID"
  DRIVER_PID=""
  SERVER_PID=""
}

status=0
case " $SUITES " in *" main "*) run_in_code_server integration "" --disable-workspace-trust ;; esac
case " $SUITES " in
  *" restricted "*)
    USER_DATA="$WORK/restricted-user-data"
    prepare_restricted_user_data "$USER_DATA"
    SERVER_LOG="$REPO_DIR/test-results/vscode-restricted-code-server.log"
    run_in_code_server restricted restricted
    ;;
esac

# One closing line for both runs (scripts/test.sh reads the last "N passed, N failed").
node -e '
  let passed = 0, failed = 0;
  for (const file of process.argv.slice(1)) {
    try { const r = JSON.parse(require("node:fs").readFileSync(file, "utf8")); passed += r.passed; failed += r.failed; } catch { failed++; }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
' "${RESULT_FILES[@]}" || status=1
exit "$status"
