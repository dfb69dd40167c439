#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3 on Node 20) and Debian's Chromium into a cache dir; idempotent.
# Follows the verified recipe of docs (shared notes): the npm postinstall downloads ripgrep, so install in steps.
# Usage: scripts/code-server.sh            prints the code-server entry path on success
# Env:   CODE_SERVER_DIR (default <repo>/.ci-cache/code-server-4.100.3)
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CODE_SERVER_VERSION=4.100.3
DIR="${CODE_SERVER_DIR:-$REPO_DIR/.ci-cache/code-server-$CODE_SERVER_VERSION}"
ENTRY="$DIR/node_modules/code-server/out/node/entry.js"
MARKER="$DIR/.installed-$CODE_SERVER_VERSION"

log() { echo "[code-server.sh] $*" >&2; }

install_debian_packages() {
  local missing=()
  command -v rg >/dev/null || missing+=(ripgrep)
  command -v chromium >/dev/null || missing+=(chromium)
  dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    # Other jobs may hold the dpkg lock: wait for it rather than fail.
    apt-get -o DPkg::Lock::Timeout=900 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq "${missing[@]}" >/dev/null
  fi
}

install_code_server() {
  log "installing code-server $CODE_SERVER_VERSION into $DIR"
  mkdir -p "$DIR"
  cd "$DIR"
  [ -f package.json ] || npm init -y >/dev/null
  npm install --no-audit --no-fund --ignore-scripts "code-server@$CODE_SERVER_VERSION" >/dev/null
  cd node_modules/code-server/lib/vscode
  npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  npm_config_yes=true npm rebuild >/dev/null
  ln -sfn node_modules node_modules.asar
  (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
  (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
  (cd extensions && npm install --no-audit --no-fund --omit=dev >/dev/null)
  cd "$DIR"
  npm rebuild argon2 >/dev/null
  touch "$MARKER"
}

install_debian_packages
if [ ! -f "$MARKER" ] || [ ! -f "$ENTRY" ]; then
  install_code_server
else
  log "code-server $CODE_SERVER_VERSION already installed in $DIR"
fi
echo "$ENTRY"
