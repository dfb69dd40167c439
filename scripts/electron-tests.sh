#!/usr/bin/env bash
# Runs the integration suite (test/vscode) in a downloaded VS Code through @vscode/test-electron (a desktop with network
# access and a display); the same suite scripts/vscode-tests.sh runs in code-server on machines without them.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_DIR"
if [ "${LWB_SKIP_BUILD:-}" != 1 ]; then
  node esbuild.mjs
  npx tsc -p .
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lwb-electron-tests.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT INT TERM
# shellcheck source=scripts/lib/codeServer.sh
source "$REPO_DIR/scripts/lib/codeServer.sh"
# The same workspace copy and user settings as the code-server run.
prepare_code_server_workspace
mkdir -p test-results

node out/test/vscode/runner/runElectronTests.js "$WORK/workspace" "$REPO_DIR" "$REPO_DIR/out/test/vscode/index.js" \
  "$WORK/results.json" "$WORK/user-data" "$WORK/extensions"
