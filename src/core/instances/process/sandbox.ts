// Lambda's filesystem for a local process, with bubblewrap: the code read-only at /var/task, layers merged read-only at /opt,
// the runtime client at /var/runtime, a private /tmp of EphemeralStorage size, and nothing else of the host writable.
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { findOnPath } from '../../common/executables';
import { distPath } from '../../common/packageAssets';
import type { LaunchRequest } from '../backend';
import { layerMounts } from '../layerMounts';
import type { CodeView } from './layerPaths';
import { firstChild } from './processGroups';
import type { RuntimeCommand } from './runtimeCommand';

export const SANDBOX_TASK_ROOT = '/var/task';
const SANDBOX_RUNTIME_DIR = '/var/runtime';
/** The AWS SDK's node_modules (on Lambda inside /var/runtime, which holds our runtime client here). */
const SANDBOX_SDK_DIR = '/var/runtime-sdk/node_modules';
/** Where the environment's saved /tmp (kept across resets) is visible, read-only, to be copied into the new /tmp. */
const SAVED_TMP = '/run/lambda-workbench/tmp';
/** The mode bubblewrap gives a --tmpfs mount. */
const FRESH_TMPFS_MODE = 0o755;
/** Host folders every runtime needs, read-only (missing ones are skipped). */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib64', '/lib32', '/etc'];

/** The code and layers as a sandboxed runtime sees them. */
export const SANDBOX_VIEW: CodeView = { taskRoot: SANDBOX_TASK_ROOT, layerRoots: ['/opt'] };

/** A sandbox that runs `true`: it works here when this exits 0. */
const PROBE_ARGS = ['--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', 'true'];
const PROBE_TIMEOUT_MS = 10_000;

let probed: string | null | undefined;
let probing: Promise<string | undefined> | undefined;

/**
 * The bubblewrap binary when it can make a sandbox here (Linux, bwrap installed, user namespaces or root); else undefined.
 * Probed once per process.
 */
export function findBubblewrap(): string | undefined {
  if (probed === undefined) {
    const bwrap = bubblewrapOnPath();
    probed = bwrap && spawnSync(bwrap, PROBE_ARGS, { timeout: PROBE_TIMEOUT_MS }).status === 0 ? bwrap : null;
  }
  return probed ?? undefined;
}

/**
 * findBubblewrap's answer without blocking the event loop: the process backend starts the probe when it is made, so it
 * runs beside the rest of the service's start instead of inside the first launch.
 */
export function probeBubblewrap(): Promise<string | undefined> {
  if (probed !== undefined) return Promise.resolve(probed ?? undefined);
  probing ??= new Promise((resolve) => {
    const settle = (found: string | undefined): void => {
      // findBubblewrap may have answered meanwhile: its answer stands.
      if (probed === undefined) probed = found ?? null;
      resolve(probed ?? undefined);
    };
    const bwrap = bubblewrapOnPath();
    if (bwrap) execFile(bwrap, PROBE_ARGS, { timeout: PROBE_TIMEOUT_MS }, (error) => settle(error ? undefined : bwrap));
    else settle(undefined);
  });
  return probing;
}

function bubblewrapOnPath(): string | undefined {
  return process.platform === 'linux' ? findOnPath('bwrap') : undefined;
}

/** How the Lambda view and the docs describe where processes run. */
export function sandboxDescription(): string {
  return findBubblewrap()
    ? 'sandboxed with bubblewrap: code read-only at /var/task, layers at /opt, a private /tmp of EphemeralStorage size'
    : 'not sandboxed (install bubblewrap on Linux for /var/task, /opt and a private /tmp): the code runs from its folder and sees the host';
}

/**
 * Wraps a runtime command (built for SANDBOX_VIEW) in bubblewrap. Host paths in its arguments and environment become their
 * places in the sandbox. A shell restores the environment's saved /tmp, then execs the runtime (same pid); with nothing
 * to restore (a new environment) the runtime starts directly.
 */
export function sandboxedCommand(
  bwrap: string,
  request: LaunchRequest,
  runtime: RuntimeCommand,
  interpreter: string | undefined,
  pythonSdkDirs: readonly string[] = [],
): RuntimeCommand & { env: Record<string, string> } {
  const places: [string, string][] = [
    [request.codeDir, SANDBOX_TASK_ROOT],
    [distPath('runtimes'), SANDBOX_RUNTIME_DIR],
    [request.tmpDir, '/tmp'],
    ...request.layerDirs.map((dir): [string, string] => [dir, '/opt']),
    ...(request.sdkModulesDir ? [[request.sdkModulesDir, SANDBOX_SDK_DIR] as [string, string]] : []),
  ];
  places.sort(([a], [b]) => b.length - a.length);
  const inside = (text: string) => places.reduce((value, [host, place]) => value.split(host).join(place), text);

  // Its own pid namespace: when the runtime ends, the kernel ends every process it left (daemons in their own session too).
  const args = ['--die-with-parent', '--unshare-pid', '--proc', '/proc', '--dev', '/dev'];
  for (const dir of SYSTEM_DIRS) args.push('--ro-bind-try', dir, dir);
  args.push('--ro-bind', request.codeDir, SANDBOX_TASK_ROOT, '--ro-bind', distPath('runtimes'), SANDBOX_RUNTIME_DIR);
  for (const mount of layerMounts(request.layerDirs)) args.push('--ro-bind', mount.Source, mount.Target);
  if (request.sdkModulesDir) args.push('--ro-bind', request.sdkModulesDir, SANDBOX_SDK_DIR);
  args.push('--size', String(request.spec.ephemeralStorageMB * 1024 * 1024), '--tmpfs', '/tmp');
  // An interpreter installed outside the system folders (nvm, pyenv, uv...): its whole prefix; the host's folders of
  // boto3 outside them: themselves; read-only, after /tmp, so that one installed under /tmp stays visible.
  const prefix = interpreter ? installPrefix(interpreter) : undefined;
  for (const dir of [...(prefix ? [prefix] : []), ...pythonSdkDirs.filter(outsideSystemDirs)]) args.push('--ro-bind', dir, dir);
  args.push('--ro-bind', request.tmpDir, SAVED_TMP, '--remount-ro', '/', '--chdir', SANDBOX_TASK_ROOT);
  const command = [inside(runtime.command), ...runtime.args.map(inside)];
  if (restoresNothing(request.tmpDir)) args.push(...command);
  else args.push('/bin/sh', '-c', `cp -a ${SAVED_TMP}/. /tmp/ 2>/dev/null; exec "$@"`, 'lambda-workbench', ...command);

  const env = Object.fromEntries(Object.entries({ ...request.environment, ...runtime.env }).map(([name, value]) => [name, inside(value)]));
  return { ...runtime, command: bwrap, args, env: { ...env, LAMBDA_TASK_ROOT: SANDBOX_TASK_ROOT, LAMBDA_RUNTIME_DIR: SANDBOX_RUNTIME_DIR, TMPDIR: '/tmp' } };
}

/**
 * The pid of the runtime inside bubblewrap, once it exists: bwrap's child is the pid namespace's init (bubblewrap too),
 * whose only child is the runtime.
 */
export function sandboxedPid(bwrapPid: number): number | undefined {
  const init = firstChild(bwrapPid);
  return init === undefined ? undefined : firstChild(init);
}

/**
 * Copies the sandbox's /tmp (through /proc/<pid>/root) into the environment's host folder before the runtime is ended, so
 * the next runtime of the same environment (after a timeout or a crash it recovers from) finds it, as on Lambda.
 */
export function saveSandboxTmp(runtimePid: number, tmpDir: string): void {
  const source = `/proc/${runtimePid}/root/tmp`;
  try {
    readdirSync(source);
  } catch {
    return;
  }
  for (const entry of readdirSync(tmpDir)) rmSync(path.join(tmpDir, entry), { recursive: true, force: true });
  cpSync(source, tmpDir, { recursive: true, force: true, preserveTimestamps: true, verbatimSymlinks: true });
}

/**
 * Whether restoring the saved /tmp would change nothing: the folder is empty and has the mode of bubblewrap's fresh tmpfs
 * (`cp -a` of an empty folder gives /tmp the folder's mode).
 */
function restoresNothing(tmpDir: string): boolean {
  try {
    return readdirSync(tmpDir).length === 0 && (statSync(tmpDir).mode & 0o7777) === FRESH_TMPFS_MODE;
  } catch {
    return false;
  }
}

function installPrefix(interpreter: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(interpreter);
  } catch {
    return undefined;
  }
  const prefix = path.dirname(path.dirname(real));
  return outsideSystemDirs(prefix) ? prefix : undefined;
}

/** Whether a host folder is not already visible through the system folders every sandbox binds. */
function outsideSystemDirs(dir: string): boolean {
  return dir !== '/' && !SYSTEM_DIRS.some((system) => dir === system || dir.startsWith(`${system}/`));
}
