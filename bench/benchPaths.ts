// Where the benchmark finds things (bench harness, compiled to out/bench): the repository, the built CLI, fixtures, peers.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freeLoopbackPort } from '../src/core/common/loopbackPort';

/** out/bench/<this file> -> the repository root. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const BENCH_DIR = path.join(REPO_ROOT, 'bench');
export const CLI_PATH = path.join(REPO_ROOT, 'dist', 'cli.js');
/** The peers (serverless, serverless-offline, lambda-local) live here, installed by scripts/bench.sh. */
export const PEERS_DIR = path.join(BENCH_DIR, 'node_modules');
export const RESULTS_DIR = path.join(BENCH_DIR, 'results');

/** A fresh copy of bench/fixtures/<name> in a temporary directory (peers' node_modules linked in); `remove()` deletes it. */
export function fixtureCopy(name: string): { dir: string; remove: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), `lwb-bench-${name}-`));
  const dir = path.join(root, name);
  cpSync(path.join(BENCH_DIR, 'fixtures', name), dir, { recursive: true });
  // serverless resolves its plugins from the service directory's node_modules.
  symlinkSync(PEERS_DIR, path.join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** `preferred` when it is free on 127.0.0.1, else any free port. */
export function portOrFree(preferred: number): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(freeLoopbackPort()));
    server.listen(preferred, '127.0.0.1', () => server.close(() => resolve(preferred)));
  });
}
