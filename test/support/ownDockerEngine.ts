// A Docker engine of the test's own (data, exec root, pid file, socket and bridge of its own, no iptables), so a test may
// stop and restart it: the shared engine at /var/run/docker.sock is never touched. Root, dockerd (docker.io) and ip (iproute2).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findOnPath } from '../../src/core/common/executables';
import { waitFor } from './waitFor';

/** Generous: a loaded 2-core machine; dockerd takes about a second here. */
const ANSWER_WITHIN_MS = 60_000;
/** dockerd stops its containers (10 s grace) before it exits. */
const EXIT_WITHIN_MS = 60_000;

export interface OwnDockerEngine {
  socket: string;
  /** DOCKER_HOST for a client of this engine. */
  dockerHost: string;
  /** Starts dockerd (again) on the same folders. */
  start(): Promise<void>;
  /** SIGTERM, as a service manager stops it; SIGKILL if it does not exit. */
  stop(): Promise<void>;
  /** Stops it and removes its folders. */
  dispose(): Promise<void>;
}

/** Why this machine cannot run a second engine for a test, or false. */
export function ownEngineSkipReason(): string | false {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return 'a Docker engine of its own needs root on Linux';
  if (!findOnPath('dockerd')) return 'dockerd is not installed (scripts/setup.sh installs docker.io)';
  if (!findOnPath('ip')) return 'ip is not installed (scripts/setup.sh installs iproute2)';
  return false;
}

function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const ping = request({ socketPath: socket, path: '/_ping', timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    ping.on('error', () => resolve(false));
    ping.on('timeout', () => ping.destroy());
    ping.end();
  });
}

function ip(...args: string[]): void {
  const run = spawnSync('ip', args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ip ${args.join(' ')}: ${run.stderr.trim()}`);
}

/**
 * A bridge of the engine's own. Not `--bridge none`: an engine started without a bridge deletes the interface named
 * docker0, which is the shared engine's, and the shared engine's containers then fail to start.
 */
function createBridge(): string {
  const id = randomBytes(3);
  const name = `lwb${id.toString('hex')}`;
  ip('link', 'add', name, 'type', 'bridge');
  ip('addr', 'add', `10.${200 + (id[0]! % 50)}.${id[1]!}.1/24`, 'dev', name);
  ip('link', 'set', name, 'up');
  return name;
}

export async function startOwnDockerEngine(): Promise<OwnDockerEngine> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lwb-own-dockerd-'));
  const bridge = createBridge();
  const socket = path.join(dir, 'docker.sock');
  const log = path.join(dir, 'dockerd.log');
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async (): Promise<void> => {
    const out = openSync(log, 'a');
    child = spawn('dockerd', [
      '--data-root', path.join(dir, 'data'), '--exec-root', path.join(dir, 'exec'), '--pidfile', path.join(dir, 'dockerd.pid'),
      '--host', `unix://${socket}`, '--bridge', bridge, '--iptables=false', '--ip-masq=false', '--ip-forward=false',
    ], { stdio: ['ignore', out, out], detached: true });
    closeSync(out);
    const running = child;
    exited = new Promise((resolve) => running.once('exit', () => resolve()));
    let gone = false;
    void exited.then(() => (gone = true));
    await waitFor(async () => gone || (await answers(socket)), ANSWER_WITHIN_MS, `dockerd to answer on ${socket}`);
    if (gone) throw new Error(`dockerd exited during start:\n${readFileSync(log, 'utf8').slice(-2000)}`);
  };

  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), EXIT_WITHIN_MS);
    await exited;
    clearTimeout(timer);
  };

  try {
    await start();
  } catch (error) {
    ip('link', 'del', bridge);
    throw error;
  }
  return {
    socket,
    dockerHost: `unix://${socket}`,
    start,
    stop,
    dispose: async () => {
      await stop();
      // What the engine mounted under its folders (its exec root's private mounts), deepest first.
      const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((line) => line.split(' ')[1] ?? '').filter((point) => point.startsWith(dir));
      for (const point of mounts.sort().reverse()) spawnSync('umount', ['-l', point]);
      rmSync(dir, { recursive: true, force: true });
      ip('link', 'del', bridge);
    },
  };
}
