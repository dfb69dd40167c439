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

PORT="$(free_loopback_port)"
RESULTS="$WORK/results.json"
SERVER_LOG="$REPO_DIR/test-results/vscode-code-server.log"

# The extension host inherits this environment: the suite writes its results where LWB_VSCODE_TEST_RESULTS says.
LWB_VSCODE_TEST_RESULTS="$RESULTS" start_code_server "$PORT" "$SERVER_LOG" --disable-workspace-trust

setsid node out/test/vscode/runner/runIntegrationTests.js "http://127.0.0.1:$PORT" "$WORK/workspace" "$REPO_DIR" \
  "$REPO_DIR/out/test/vscode/index.js" "$RESULTS" "$REPO_DIR/test-results/vscode-integration.png" &
DRIVER_PID=$!
status=0
wait "$DRIVER_PID" || status=$?
[ "$status" -eq 0 ] || print_code_server_log "$SERVER_LOG" 40
exit "$status"
