#!/usr/bin/env bash
# `npm run bench`: installs the peers (bench/package.json), builds, and runs every benchmark section whose prerequisites
# exist (bench/runBench.ts). Prints a Markdown report and writes bench/results/latest.json.
# Containers: when no engine answers but dockerd is installed, starts one for the run (and stops it after); builds the
# runtime image when it is missing. BENCH_QUICK=1 runs small sample counts (smoke run, writes bench/results/quick.json).
set -euo pipefail
cd "$(dirname "$0")/.."
export npm_config_yes=true

log() { echo "[bench.sh] $*" >&2; }

# The peers are dependencies of the benchmark only; their install scripts are not needed (nothing native) and skipped.
if [ ! -f bench/node_modules/.package-lock.json ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
  log "installing the peers into bench/node_modules"
  (cd bench && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi

node esbuild.mjs
npx tsc -p bench/tsconfig.json

started_engine=0
cleanup() {
  if [ "$started_engine" = 1 ]; then bash scripts/docker-engine.sh stop || true; fi
}
trap cleanup EXIT

if ! bash scripts/docker-engine.sh status; then
  if command -v dockerd >/dev/null 2>&1; then
    if bash scripts/docker-engine.sh start; then started_engine=1; fi
  else
    log "no Docker engine and dockerd is not installed: the container benchmarks will be skipped"
  fi
fi
# Built, or rebuilt when this build's runtime client or bootstrap differ from the image's (an unchanged image is kept).
if bash scripts/docker-engine.sh status; then
  log "building the runtime image lambda-workbench/runtime:nodejs20.x (kept when it is up to date)"
  node dist/cli.js images build nodejs20.x >&2 || log "image build failed: the container benchmarks will be skipped"
fi

node out/bench/runBench.js
