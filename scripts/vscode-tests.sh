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
cleanup() {
  # End the whole trees: the driver with its Chromium, code-server with its extension host and instances.
  kill_tree "$DRIVER_PID"
  kill_tree "$SERVER_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

cp -r test/fixtures/workspace "$WORK/workspace"
# The fixture's TypeScript function builds with its project's own esbuild, as under SAM (the .vsix ships none): the
# copy gets the repository's esbuild linked in, and goes away with $WORK.
mkdir -p "$WORK/workspace/node_modules"
ln -s "$REPO_DIR/node_modules/esbuild" "$WORK/workspace/node_modules/esbuild"
mkdir -p "$WORK/user-data/User" "$WORK/extensions" test-results
cat > "$WORK/user-data/User/settings.json" <<'JSON'
{
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none"
}
JSON

PORT="$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
RESULTS="$WORK/results.json"
SERVER_LOG="$REPO_DIR/test-results/vscode-code-server.log"

# The extension host inherits this environment: the suite writes its results where LWB_VSCODE_TEST_RESULTS says.
LWB_VSCODE_TEST_RESULTS="$RESULTS" setsid node "$CODE_SERVER_ENTRY" --auth none --bind-addr "127.0.0.1:$PORT" \
  --disable-telemetry --disable-update-check --disable-workspace-trust \
  --user-data-dir "$WORK/user-data" --extensions-dir "$WORK/extensions" "$WORK/workspace" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "code-server exited; see $SERVER_LOG" >&2; exit 1; }
  sleep 0.1
done

setsid node out/test/vscode/runner/runIntegrationTests.js "http://127.0.0.1:$PORT" "$WORK/workspace" "$REPO_DIR" \
  "$REPO_DIR/out/test/vscode/index.js" "$RESULTS" "$REPO_DIR/test-results/vscode-integration.png" &
DRIVER_PID=$!
status=0
wait "$DRIVER_PID" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- last lines of $SERVER_LOG" >&2
  tail -n 40 "$SERVER_LOG" >&2
fi
exit "$status"
