// Benchmark section of the extension issue (bench harness): activation time measured inside a real VS Code
// (code-server's extension host, opened in Chromium) and the size of the packaged .vsix.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openWorkbench, CHROMIUM_PATH } from '../test/vscode/runner/openWorkbench';
import { ACTIVATION_RESULTS_ENV, type ActivationResultLine } from './activationResults';
import { freeLoopbackPort } from '../src/core/common/loopbackPort';
import { REPO_ROOT } from './benchPaths';
import { ServedProcess } from './servedProcess';
import { median } from './stats';

export const VSIX_PATH = path.join(REPO_ROOT, 'dist', 'lambda-workbench.vsix');
const CODE_SERVER_DIR = process.env.CODE_SERVER_DIR ?? path.join(REPO_ROOT, '.ci-cache', 'code-server-4.100.3');
const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const RUN_LIMIT_MS = 180_000;

export interface ActivationMeasurement {
  /** Median of the runs with the code cache an earlier activation wrote (what every activation but the first costs). */
  activationMs: number;
  activationRunsMs: number[];
  /** The first activation of a new install or update: no code cache yet, the bundle is compiled from source. */
  firstActivationMs: number;
}

/** Where the extension keeps its V8 code cache (src/extensionEntry.ts) under code-server's user data directory. */
const CODE_CACHE_FILE = path.join('User', 'globalStorage', 'lambda-workbench.lambda-workbench', 'code-cache', 'extensionMain.v8cache');
const CODE_CACHE_LIMIT_MS = 30_000;

/** Why activation cannot be measured here, or undefined when it can. */
export function activationPrerequisite(): string | undefined {
  if (!existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) return 'dist/extension.js is not built (node esbuild.mjs)';
  if (!existsSync(CODE_SERVER_ENTRY)) return `code-server is not installed at ${CODE_SERVER_DIR} (bash scripts/code-server.sh installs it)`;
  if (!existsSync(CHROMIUM_PATH)) return `Chromium is not installed at ${CHROMIUM_PATH} (bash scripts/code-server.sh installs it)`;
  return undefined;
}

/** The .vsix size in MB, or the reason there is none. */
export function vsixSize(): { sizeMb: number } | { skipped: string } {
  if (!existsSync(VSIX_PATH)) return { skipped: `${path.relative(REPO_ROOT, VSIX_PATH)} is not present (npm run package builds it)` };
  return { sizeMb: statSync(VSIX_PATH).size / (1024 * 1024) };
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    }).on('error', () => resolve(false));
  });
}

function resultLines(file: string): ActivationResultLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as ActivationResultLine);
}

async function codeCacheWritten(file: string): Promise<void> {
  const deadline = Date.now() + CODE_CACHE_LIMIT_MS;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the first activation wrote no code cache (${file}) within ${CODE_CACHE_LIMIT_MS / 1000} s`);
    await sleep(100);
  }
}

/**
 * Each run opens a new window, hence a new extension host in which the extension has never been activated. The first
 * run finds no code cache (as after an install); the cache it writes a second later is awaited, then `runs` more.
 */
export async function measureActivation(runs: number, log: (line: string) => void): Promise<ActivationMeasurement> {
  const work = mkdtempSync(path.join(tmpdir(), 'lwb-bench-activation-'));
  const workspace = path.join(work, 'workspace');
  const resultsFile = path.join(work, 'activation.jsonl');
  mkdirSync(workspace);
  mkdirSync(path.join(work, 'user-data', 'User'), { recursive: true });
  writeFileSync(
    path.join(work, 'user-data', 'User', 'settings.json'),
    JSON.stringify({ 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoCheckUpdates': false }),
  );
  const port = await freeLoopbackPort();
  const server = new ServedProcess('code-server', {
    command: process.execPath,
    args: [CODE_SERVER_ENTRY, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--user-data-dir', path.join(work, 'user-data'), '--extensions-dir', path.join(work, 'extensions'), workspace],
    cwd: work,
    env: { ...process.env, [ACTIVATION_RESULTS_ENV]: resultsFile },
  });
  try {
    while (!(await healthy(port))) {
      const exited = server.exited();
      if (exited !== undefined) throw new Error(`code-server exited: ${exited}`);
      await sleep(100);
    }
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${REPO_ROOT}`],
      ['extensionTestsPath', `vscode-remote://127.0.0.1:${port}${path.join(__dirname, 'activationProbe.js')}`],
    ];
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    for (let run = 1; run <= runs + 1; run++) {
      log(run === 1 ? 'extension: first activation (no code cache)' : `extension: activation run ${run - 1} of ${runs}`);
      const workbench = await openWorkbench(url);
      try {
        const deadline = Date.now() + RUN_LIMIT_MS;
        while (resultLines(resultsFile).length < run) {
          if (Date.now() > deadline) throw new Error(`no activation result within ${RUN_LIMIT_MS / 1000} s`);
          await sleep(100);
        }
      } finally {
        await workbench.close();
      }
      if (run === 1) await codeCacheWritten(path.join(work, 'user-data', CODE_CACHE_FILE));
    }
    const results = resultLines(resultsFile);
    const failure = results.find((result) => result.error !== undefined);
    if (failure) throw new Error(failure.error);
    const [firstActivationMs, ...activationRunsMs] = results.map((result) => result.activationMs as number);
    return { activationMs: median(activationRunsMs), activationRunsMs, firstActivationMs };
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
