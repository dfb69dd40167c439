#!/usr/bin/env bash
# End-to-end suite: packages the .vsix, installs it into code-server 4.100.3, and drives the workbench from Chromium
# through Playwright on a copy of the fixture workspace (test/e2e). Screenshots go to test-results/e2e/.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_DIR"
export npm_config_yes=true
# shellcheck source=scripts/processTree.sh
source "$REPO_DIR/scripts/processTree.sh"

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

cp -r test/fixtures/workspace "$WORK/workspace"
# The fixture's TypeScript function builds with its project's own esbuild, as under SAM (the .vsix ships none): the
# copy gets the repository's esbuild linked in, and goes away with $WORK.
mkdir -p "$WORK/workspace/node_modules"
ln -s "$REPO_DIR/node_modules/esbuild" "$WORK/workspace/node_modules/esbuild"
mkdir -p "$WORK/user-data/User" "$WORK/extensions" test-results/e2e
rm -f test-results/e2e/*.png
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

node "$CODE_SERVER_ENTRY" --user-data-dir "$WORK/user-data" --extensions-dir "$WORK/extensions" \
  --install-extension "$REPO_DIR/dist/lambda-workbench.vsix"

PORT="$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
SERVER_LOG="$REPO_DIR/test-results/e2e/code-server.log"
setsid node "$CODE_SERVER_ENTRY" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
  --user-data-dir "$WORK/user-data" --extensions-dir "$WORK/extensions" "$WORK/workspace" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "code-server exited; see $SERVER_LOG" >&2; exit 1; }
  sleep 0.1
done

LWB_E2E_SERVER_URL="http://127.0.0.1:$PORT" LWB_E2E_WORKSPACE="$WORK/workspace" \
  setsid node --test --test-concurrency=1 out/test/e2e/ &
SUITE_PID=$!
status=0
wait "$SUITE_PID" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- last lines of $SERVER_LOG" >&2
  tail -n 30 "$SERVER_LOG" >&2
fi
exit "$status"
