// No runtime outlives its service: `start` killed with SIGKILL (no exit handler runs) takes its idle, frozen, busy and
// debugged runtimes along (bubblewrap's --die-with-parent, setpriv's parent-death signal, the runtime clients' watchdog),
// and the next service removes the /tmp folders it left.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { startCli, type StartedCli } from '../support/cliServer';
import { pidAlive } from '../support/processes';
import { descendantsOf, type ProcessEntry } from '../support/processTree';
import { waitFor } from '../support/waitFor';

const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/watchdog');
const RUNTIME = /bootstrap\.(js|py)/;
/** Generous: the kernel and the watchdogs act within a second or two; the machine is shared. */
const GONE_WITHIN_MS = 60_000;

/** Starts an invocation and leaves it running (its answer, or the error when the service dies, is ignored). */
function invokeInBackground(apiUrl: string, functionName: string): void {
  const call = request(`${apiUrl}/2015-03-31/functions/${functionName}/invocations`, { method: 'POST' }, (response) => response.resume());
  call.on('error', () => undefined);
  call.end('{}');
}

async function invoke(apiUrl: string, functionName: string): Promise<void> {
  const response = await fetch(`${apiUrl}/2015-03-31/functions/${functionName}/invocations`, { method: 'POST', body: '{}' });
  assert.equal(response.status, 200, await response.text());
}

/** The runtime processes themselves (not the bubblewrap processes around them, whose command lines name them too). */
function runtimesOf(service: StartedCli): ProcessEntry[] {
  return descendantsOf(service.pid).filter((p) => RUNTIME.test(p.command) && !p.command.includes('bwrap'));
}

/** Whether the process is stopped (SIGSTOP: a frozen environment). */
function stopped(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
  } catch {
    return false;
  }
}

async function killAndExpectRuntimesGone(service: StartedCli, runtimes: ProcessEntry[]): Promise<void> {
  process.kill(service.pid, 'SIGKILL');
  await service.exited;
  await waitFor(() => runtimes.every((p) => !pidAlive(p.pid)), GONE_WITHIN_MS, `the runtimes of the killed service to end: ${runtimes.map((p) => p.command).join('; ')}`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('runtimes of a killed service', () => {
  const started: StartedCli[] = [];
  after(async () => {
    for (const service of started) await service.stop();
  });

  it('frozen idle and busy Node.js and Python runtimes end when start is killed with SIGKILL', async () => {
    const service = await startCli(['--api-port', '0'], { cwd: FIXTURE });
    started.push(service);
    await invoke(service.apiUrl, 'NodeIdleFunction');
    await invoke(service.apiUrl, 'PythonIdleFunction');
    invokeInBackground(service.apiUrl, 'NodeBusyFunction');
    invokeInBackground(service.apiUrl, 'PythonBusyFunction');
    await waitFor(() => runtimesOf(service).length === 4, 120_000, 'four runtimes');
    const runtimes = runtimesOf(service);
    // Idle environments are frozen after 10 s: the ones a killed service used to leave behind.
    await waitFor(() => runtimes.filter((p) => stopped(p.pid)).length === 2, 120_000, 'the idle runtimes to be frozen');
    await killAndExpectRuntimesGone(service, runtimes);

    // Its environments' /tmp folders stay behind (nothing of it ran after the kill); the next service removes them, and
    // takes over its journal of asynchronous invocations, empty here, without a word.
    const leftTmp = path.join(FIXTURE, '.lambda-workbench', 'tmp', String(service.pid));
    assert.equal(readdirSync(leftTmp).length, 4, 'the killed service left its four environments\' /tmp');
    const next = await startCli(['--api-port', '0'], { cwd: FIXTURE });
    started.push(next);
    await invoke(next.apiUrl, 'NodeIdleFunction');
    await waitFor(() => !existsSync(leftTmp), 60_000, 'the next service to remove the killed one\'s /tmp folders');
    assert.doesNotMatch(next.stderr(), /Resumed/);
  });

  it('a debugged runtime waiting for its debugger (unsandboxed) ends when start is killed with SIGKILL', async () => {
    const service = await startCli(['--api-port', '0', '--template', 'debug.yaml', '--debug-port', String(await freePort())], { cwd: FIXTURE });
    started.push(service);
    invokeInBackground(service.apiUrl, 'NodeIdleFunction');
    await waitFor(() => runtimesOf(service).some((p) => p.command.includes('--inspect-wait')), 120_000, 'the runtime waiting for a debugger');
    const runtimes = runtimesOf(service);
    await killAndExpectRuntimesGone(service, runtimes);
  });
});
