// Loaded into every node:test file (node --import, see scripts/test.sh): after the file, nothing it started may be left.
// Scoped to this test process only (other test runs share the machine): its descendants, its listening sockets, its
// containers (labelled with its pid) and its own temporary root.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import { isMainThread } from 'node:worker_threads';
import { LABEL_HOST, LABEL_PID } from '../../src/core/instances/container/containerLabels';
import { listeningSocketsOf } from './listeningSockets';
import { descendantsOf } from './processTree';

/**
 * Every temporary directory the file makes lands here: os.tmpdir() reads TMPDIR. Worker threads load this module too
 * (they inherit --import): they share the file's process, its root and its check, so they make neither.
 */
const tempRoot = isMainThread ? mkdtempSync(path.join(tmpdir(), `lwb-test-${process.pid}-`)) : tmpdir();
if (isMainThread) process.env.TMPDIR = tempRoot;

/** Stopped processes and closed sockets take a moment to disappear: leftovers must persist this long to count. */
const SETTLE_MS = 10_000;

interface Leftovers {
  processes: string[];
  listening: string[];
  containers: string[];
  tempEntries: string[];
}

async function ownContainers(): Promise<string[]> {
  // Loaded only when the check runs, after the file's tests: a test may check what loading dockerode brings in.
  const { default: Dockerode } = await import('dockerode');
  const docker = new Dockerode();
  try {
    const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL_PID}=${process.pid}`, `${LABEL_HOST}=${hostname()}`] } });
    return containers.map((c) => `${c.Id.slice(0, 12)} ${c.Image} (${c.State})`);
  } catch {
    return []; // no engine here: nothing of ours can run in it
  }
}

/**
 * esbuild's JS API keeps one service process per host process, by design: it reads its stdin pipe and ends when the
 * process that loaded esbuild ends (it cannot outlive it).
 */
const ENDS_WITH_THIS_PROCESS = /\/esbuild --service=[\d.]+ --ping$/;

async function leftovers(): Promise<Leftovers> {
  const processes = descendantsOf(process.pid).filter((p) => !ENDS_WITH_THIS_PROCESS.test(p.command));
  return {
    processes: processes.map((p) => `pid ${p.pid}: ${p.command.slice(0, 160)}`),
    listening: listeningSocketsOf([process.pid, ...processes.map((p) => p.pid)]).map((s) => `${s.address}:${s.port} (pid ${s.pid})`),
    containers: await ownContainers(),
    tempEntries: readdirSync(tempRoot),
  };
}

const isClean = (found: Leftovers) => Object.values(found).every((list) => list.length === 0);

/** A file whose event loop is held by something it left (a listening server, a timer) never exits: report it instead of hanging. */
const HANG_REPORT_MS = 60_000;

function report(found: Leftovers): void {
  const lines = Object.entries(found).filter(([, list]) => list.length).map(([kind, list]) => `  ${kind}: ${list.join('; ')}`);
  process.stderr.write(`\nThe test file left behind what it started (stop and remove everything in its after hooks):\n${lines.join('\n')}\n`);
  process.exitCode = 1;
}

async function settledLeftovers(): Promise<Leftovers> {
  let found = await leftovers();
  const giveUpAt = Date.now() + SETTLE_MS;
  while (!isClean(found) && Date.now() < giveUpAt) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    found = await leftovers();
  }
  return found;
}

// The check runs when the file's event loop drains, after every test and hook (a failing exit code fails the file).
let checked = !isMainThread;
process.on('beforeExit', () => {
  if (checked) return;
  checked = true;
  void settledLeftovers().then((found) => {
    rmSync(tempRoot, { recursive: true, force: true });
    if (!isClean(found)) report(found);
  });
});

// Root hooks of this module run before the file's own: arm the hang report once the tests are done.
if (isMainThread) {
  after(() => {
    setTimeout(() => {
      void leftovers().then((found) => {
        report(found);
        process.stderr.write(`The test file did not exit ${HANG_REPORT_MS / 1000} s after its tests: something it started still holds it.\n`);
        process.exit(1);
      });
    }, HANG_REPORT_MS).unref();
  });
}
