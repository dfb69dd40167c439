// Unsandboxed environments (no bubblewrap, or debugging) end everything their handler started: a daemon in its own session
// ends when its environment is reset or stopped, and when the service is killed with SIGKILL (the subreaper launcher).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import { LambdaService } from '../../src/core/service/lambdaService';
import { processesWith } from '../support/processes';
import { recordReliabilityFigures } from '../support/reliabilityReport';
import { waitFor } from '../support/waitFor';

const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/faults');
const SKIP = process.platform === 'linux' ? false : 'the subreaper launcher is Linux only (prctl)';
/** Generous: the machine is shared; the launcher acts within milliseconds. */
const GONE_WITHIN_MS = 30_000;

function unsandboxedService(dir: string, registry: FunctionRegistry): LambdaService {
  return new LambdaService(registry, { backend: new ProcessBackend({ sandbox: 'off' }), stateDir: path.join(dir, '.lambda-workbench') });
}

async function invokeDaemon(service: LambdaService, token: string, hang = false): Promise<unknown> {
  const result = await service.invoke({ functionName: 'DaemonFunction', payload: Buffer.from(JSON.stringify({ token, hang })) });
  return JSON.parse(result.payload.toString());
}

const figures: Array<[string, string | number]> = [];
after(() => recordReliabilityFigures({ key: 'reaper', title: 'Unsandboxed environments (test/reliability/environmentReaper.test.ts)', rows: figures }));

describe('daemons of unsandboxed environments', { skip: SKIP }, () => {
  let dir: string;
  let registry: FunctionRegistry;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lwb-reaper-'));
    cpSync(FIXTURE, dir, { recursive: true });
    registry = await FunctionRegistry.fromTemplates([path.join(dir, 'template.yaml')]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a daemon (setsid) ends when its environment is reset after a timeout, and when the environment is stopped', async () => {
    const token = `lwb-reaped-${process.pid}-${Date.now()}`;
    const service = unsandboxedService(dir, registry);
    try {
      assert.deepEqual(await invokeDaemon(service, `${token}-returned`), { started: true });
      assert.equal(processesWith(`${token}-returned`).length, 1, 'the daemon runs while its environment lives');
      // The timeout resets the environment that ran it (the other one is busy-free but may be picked: both are checked).
      const hung = await invokeDaemon(service, `${token}-hung`, true) as { errorType: string };
      assert.equal(hung.errorType, 'Sandbox.Timedout');
      await waitFor(() => processesWith(`${token}-hung`).length === 0, GONE_WITHIN_MS, 'the daemon of the reset environment to end');
    } finally {
      await service.dispose();
    }
    await waitFor(() => processesWith(token).length === 0, GONE_WITHIN_MS, 'the daemon of the stopped environment to end');
    figures.push(['daemons (setsid) of unsandboxed environments ended with a reset / a stop', '1 / 1']);
  });

  it('a daemon (setsid) ends when the service that ran its handler is killed with SIGKILL', async () => {
    const token = `lwb-reaped-killed-${process.pid}-${Date.now()}`;
    // A service in a process of its own that runs the handler, says so, and is then killed without any exit handler (the
    // token goes through the environment: only the daemon's command line holds it).
    const serviceModule = require.resolve('../../src/core/service/lambdaService');
    const script = `
      const { ProcessBackend } = require(${JSON.stringify(require.resolve('../../src/core/instances/process/processBackend'))});
      const { FunctionRegistry } = require(${JSON.stringify(require.resolve('../../src/core/service/functionRegistry'))});
      const { LambdaService } = require(${JSON.stringify(serviceModule)});
      (async () => {
        const registry = await FunctionRegistry.fromTemplates([${JSON.stringify(path.join(dir, 'template.yaml'))}]);
        const service = new LambdaService(registry, { backend: new ProcessBackend({ sandbox: 'off' }), stateDir: ${JSON.stringify(path.join(dir, '.killed'))} });
        const result = await service.invoke({ functionName: 'DaemonFunction', payload: Buffer.from(JSON.stringify({ token: process.env.LWB_DAEMON_TOKEN })) });
        process.stdout.write(result.payload.toString() + '\\n');
        setInterval(() => undefined, 1000);
      })();`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LWB_DAEMON_TOKEN: token } });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await waitFor(() => output.includes('\n'), 120_000, 'the handler of the service to return');
      assert.deepEqual(JSON.parse(output), { started: true });
      assert.equal(processesWith(token).length, 1, 'the daemon runs while its service lives');
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    await waitFor(() => processesWith(token).length === 0, GONE_WITHIN_MS, 'the daemon of the killed service to end');
    figures.push(['daemons (setsid) of unsandboxed environments ended with their service killed by SIGKILL', '1 / 1']);
  });
});
