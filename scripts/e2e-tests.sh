#!/usr/bin/env bash
# End-to-end suite: packages the .vsix, installs it into code-server 4.100.3, and drives the workbench from Chromium
# through Playwright on a copy of the fixture workspace (test/e2e). Screenshots go to test-results/e2e/.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_DIR"
export npm_config_yes=true
# shellcheck source=scripts/processTree.sh
source "$REPO_DIR/scripts/processTree.sh"
# shellcheck source=scripts/lib/codeServer.sh
source "$REPO_DIR/scripts/lib/codeServer.sh"

CODE_SERVER_ENTRY="$(bash scripts/code-server.sh)"
npm run package
npx tsc -p .

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lwb-e2e.XXXXXX")"
SERVER_PID=""
SUITE_PID=""
cleanup() {
  kill_tree "$SUITE_PID"
  kill_tree "$SERVER_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

prepare_code_server_workspace
mkdir -p test-results/e2e
rm -f test-results/e2e/*.png

node "$CODE_SERVER_ENTRY" --user-data-dir "$WORK/user-data" --extensions-dir "$WORK/extensions" \
  --install-extension "$REPO_DIR/dist/lambda-workbench.vsix"

PORT="$(free_loopback_port)"
SERVER_LOG="$REPO_DIR/test-results/e2e/code-server.log"
start_code_server "$PORT" "$SERVER_LOG"

LWB_E2E_SERVER_URL="http://127.0.0.1:$PORT" LWB_E2E_WORKSPACE="$WORK/workspace" LWB_E2E_SERVER_PID="$SERVER_PID" \
  setsid node --test --test-concurrency=1 out/test/e2e/ &
SUITE_PID=$!
status=0
wait "$SUITE_PID" || status=$?
[ "$status" -eq 0 ] || print_code_server_log "$SERVER_LOG" 30
exit "$status"
