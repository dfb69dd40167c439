#!/usr/bin/env bash
# Sets up a fresh machine for the whole test suite: Debian packages, npm dependencies, code-server, the build.
# Idempotent; needs root (or sudo) for apt. The demo (scripts/demo.sh) needs none of this beyond Node.js.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

packages=(docker.io iproute2 chromium ripgrep libkrb5-dev python3-debugpy python3-boto3 zip unzip bubblewrap openssh-server podman)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "setup: npm ci"
npm ci --no-audit --no-fund

if [ -f scripts/code-server.sh ]; then
  echo "setup: code-server"
  bash scripts/code-server.sh install
fi

echo "setup: build"
node esbuild.mjs
echo "setup: done"
