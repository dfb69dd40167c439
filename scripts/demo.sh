#!/usr/bin/env bash
# Sets up (npm ci, build) and runs the bundled example through the CLI on the embedded process backend: no Docker, no AWS account.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ]; then npm ci --no-audit --no-fund; fi
node esbuild.mjs
node bin/lambda-workbench.js invoke HelloFunction --template examples/hello/template.yaml --event examples/hello/events/hello.json
echo
