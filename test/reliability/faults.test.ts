// Faults with real `start` processes: environments killed during load (SIGKILL, `docker kill`, out of memory), handlers
// that never return, block their event loop, leave daemons behind, flood stdout or fill /tmp, a taken port, no engine.
// Every affected caller gets Lambda's error, the pool replaces what died, nothing hangs and nothing outlives its environment.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import Dockerode from 'dockerode';
import { buildRuntimeImage } from '../../src/core/images/runtimeImageBuilder';
import { findBubblewrap } from '../../src/core/instances/process/sandbox';
import { engineSkipReason, NODE_RUNTIME, testImage } from '../container/containerHarness';
import { startCli, type StartedCli } from '../support/cliServer';
import { ownEngineSkipReason, startOwnDockerEngine } from '../support/ownDockerEngine';
import { processesWith } from '../support/processes';
import { descendantsOf } from '../support/processTree';
import { recordReliabilityFigures } from '../support/reliabilityReport';
import { waitFor } from '../support/waitFor';

const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/faults');
const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const CLIENTS = 8;
const LOAD_INVOCATIONS = 240;
/** The service's resident memory never goes above this (the bound for hostile input). */
const RSS_LIMIT_MB = 512;

interface Answer {
  statusCode?: number;
  functionError?: string;
  body: unknown;
}

function client(apiUrl: string): LambdaClient {
  return new LambdaClient({ endpoint: apiUrl, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

async function invoke(lambda: LambdaClient, functionName: string, event: object): Promise<Answer & { requestId?: string }> {
  const answer: InvokeCommandOutput = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(event)) }));
  const text = Buffer.from(answer.Payload ?? []).toString('utf8');
  return { statusCode: answer.StatusCode, functionError: answer.FunctionError, body: text ? JSON.parse(text) : undefined, requestId: answer.$metadata.requestId };
}

/** `total` invocations of WorkFunction from CLIENTS concurrent callers: each must answer 200 with its own id. */
async function workLoad(lambda: LambdaClient, total: number, prefix: string): Promise<number> {
  let next = 0;
  let answered = 0;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < total) {
      const id = `${prefix}-${next++}`;
      const answer = await invoke(lambda, 'WorkFunction', { id, workMs: 20 });
      assert.equal(answer.functionError, undefined, `${id}: ${JSON.stringify(answer.body)}`);
      assert.deepEqual(answer.body, { id });
      answered++;
    }
  }));
  return answered;
}

/** Peak resident memory of a process in MB (VmHWM). */
function peakRssMB(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(match?.[1] ?? 0) / 1024);
}

/** The REPORT line start printed for a request. */
function reportLine(service: StartedCli, requestId: string): string | undefined {
  return service.stderr().split('\n').find((line) => line.includes(`REPORT RequestId: ${requestId}`));
}

function exitError(requestId: string | undefined, errorType: string, reason: string): object {
  return { errorType, errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${reason}` };
}

function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lwb-faults-'));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

const figures: Array<[string, string | number]> = [];
after(() => recordReliabilityFigures({ key: 'faults', title: 'Faults (test/reliability/faults.test.ts)', rows: figures }));

describe('faults', () => {
  const cleanup: (() => Promise<unknown> | void)[] = [];
  let dir: string;
  let service: StartedCli;
  let lambda: LambdaClient;

  before(async () => {
    dir = workspace();
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    // Function logs (and the flood) go to start's stderr: keep its end only.
    service = await startCli(['--api-port', '0'], { cwd: dir, stderrTail: 4 * 1024 * 1024 });
    cleanup.push(() => service.stop());
    lambda = client(service.apiUrl);
    cleanup.push(() => lambda.destroy());
  });
  after(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('environments SIGKILLed or killed for memory during load: their callers get Runtime.ExitError / Runtime.OutOfMemory, the rest is served', async () => {
    const load = workLoad(lambda, LOAD_INVOCATIONS, 'load');
    const victims = ['victim-0', 'victim-1', 'victim-2'];
    const outcomes: Array<Answer & { requestId?: string }> = [];
    for (const id of victims) {
      const call = invoke(lambda, 'WorkFunction', { id, victim: true, workMs: 600_000 });
      await waitFor(() => descendantsOf(service.pid).some((p) => p.command.includes(`lwb-victim-${id}`)), 60_000, `${id}'s environment`);
      const [runtime] = descendantsOf(service.pid).filter((p) => p.command.includes(`lwb-victim-${id}`));
      process.kill(runtime!.pid, 'SIGKILL');
      outcomes.push(await call);
    }
    const hog = await invoke(lambda, 'HogFunction', {});
    const answered = await load;

    for (const outcome of outcomes) {
      assert.equal(outcome.functionError, 'Unhandled');
      assert.deepEqual(outcome.body, exitError(outcome.requestId, 'Runtime.ExitError', 'signal: killed'));
      assert.match(reportLine(service, outcome.requestId!) ?? '', /\tStatus: error\tError Type: Runtime\.ExitError\t$/);
    }
    assert.equal(hog.functionError, 'Unhandled');
    assert.deepEqual(hog.body, exitError(hog.requestId, 'Runtime.OutOfMemory', 'signal: killed'));
    // The pool replaced what died: the function still answers, from at most one environment per concurrent caller.
    assert.equal(await workLoad(lambda, CLIENTS * 4, 'after'), CLIENTS * 4);
    const environments = descendantsOf(service.pid).filter((p) => p.command.includes('bootstrap.js') && !p.command.includes('bwrap'));
    assert.ok(environments.length <= CLIENTS + 2, `${environments.length} runtimes for ${CLIENTS} callers`);
    assert.equal(descendantsOf(service.pid).filter((p) => p.command.includes('lwb-victim-')).length, 0);
    figures.push(
      ['invocations under load while environments were killed', answered],
      ['environments SIGKILLed mid-invocation / callers answered Runtime.ExitError', `${victims.length} / ${outcomes.length}`],
      ['environments killed for memory / callers answered Runtime.OutOfMemory', '1 / 1'],
    );
  });

  it('a handler that never settles and one that blocks its event loop time out, and their functions answer again', async () => {
    for (const functionName of ['NeverFunction', 'BlockFunction']) {
      const first = await invoke(lambda, functionName, {});
      assert.equal(first.functionError, 'Unhandled');
      assert.deepEqual(first.body, { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${first.requestId} Error: Task timed out after 2.00 seconds` });
      assert.match(reportLine(service, first.requestId!) ?? '', /\tStatus: timeout\tError Type: Sandbox\.Timedout\t$/);
      // The environment was reset: the next invocation gets a runtime again (and times out the same way).
      const second = await invoke(lambda, functionName, {});
      assert.equal((second.body as { errorType: string }).errorType, 'Sandbox.Timedout');
    }
    figures.push(['handlers that never settle / block the event loop, timed out and reset', '2 / 2']);
  });

  it('daemons a handler leaves behind end with its environment (reset after a timeout, or stopped)', { skip: findBubblewrap() ? false : 'bubblewrap (scripts/setup.sh) gives each environment its pid namespace' }, async () => {
    const token = `lwb-daemon-${process.pid}-${Date.now()}`;
    const returned = await invoke(lambda, 'DaemonFunction', { token: `${token}-returned` });
    assert.deepEqual(returned.body, { started: true });
    assert.equal(processesWith(`${token}-returned`).length, 1, 'the daemon runs while its environment lives');
    // A timeout resets the environment: the runtime is replaced, and what it started goes with it.
    const hung = await invoke(lambda, 'DaemonFunction', { token: `${token}-hung`, hang: true });
    assert.equal((hung.body as { errorType: string }).errorType, 'Sandbox.Timedout');
    await waitFor(() => processesWith(`${token}-hung`).length === 0, 30_000, 'the daemon of the reset environment to end');
    // Which environment the timeout hit depends on the pool: the daemon of the one that returned may still run. Stopping
    // the service ends every environment and its daemons (checked after the last test, when the service stops).
    cleanup.push(() => waitFor(() => processesWith(token).length === 0, 30_000, 'every daemon to end with the service'));
    figures.push(['daemons (own session) left by handlers, ended with their environment', '2 / 2']);
  });

  it('a handler writing 1 GB to stdout without a newline: its line is cut at 256 KB and the service stays under 512 MB', async () => {
    const flood = await invoke(lambda, 'FloodFunction', { megabytes: 1024, lineBytes: 0 });
    assert.equal(flood.functionError, undefined, JSON.stringify(flood.body));
    assert.deepEqual(flood.body, { chunks: 1024 });
    await waitFor(() => reportLine(service, flood.requestId!) !== undefined, 60_000, 'the REPORT line of the flood');
    const lines = service.stderr().split('\n');
    assert.ok(lines.some((line) => line.endsWith(`\t${'x'.repeat(256 * 1024)}`) || line === 'x'.repeat(256 * 1024) || line.endsWith(` ${'x'.repeat(256 * 1024)}`)),
      'the 1 GB line is logged cut at 256 KB');
    assert.ok(!lines.some((line) => line.includes('x'.repeat(256 * 1024 + 1))), 'no line longer than 256 KB');
    assert.ok(lines.some((line) => line.includes('flood done')));
    const rss = peakRssMB(service.pid);
    assert.ok(rss < RSS_LIMIT_MB, `start's peak RSS ${rss} MB`);
    assert.deepEqual((await invoke(lambda, 'WorkFunction', { id: 'after-flood' })).body, { id: 'after-flood' });
    figures.push(['stdout flood (MB, one line) / logged line cut at (KB) / peak RSS of start (MB)', `1024 / 256 / ${rss}`]);
  });

  it('a handler filling /tmp gets ENOSPC at its EphemeralStorage size, and the environment keeps serving', { skip: findBubblewrap() ? false : 'bubblewrap (scripts/setup.sh) gives /tmp its EphemeralStorage size' }, async () => {
    const filled = await invoke(lambda, 'FillTmpFunction', {});
    assert.equal(filled.functionError, undefined, JSON.stringify(filled.body));
    const { code, writtenMB } = filled.body as { code: string; writtenMB: number };
    assert.equal(code, 'ENOSPC');
    assert.ok(writtenMB >= 500 && writtenMB <= 512, `${writtenMB} MB written before ENOSPC (EphemeralStorage 512 MB)`);
    const again = await invoke(lambda, 'FillTmpFunction', {});
    assert.equal((again.body as { code: string }).code, 'ENOSPC');
    figures.push(['/tmp filled: ENOSPC at (MB, EphemeralStorage 512)', writtenMB]);
  });
});

describe('faults outside a function', () => {
  it('a port already taken: start says which and exits 2', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const run = spawnSync(process.execPath, [CLI, 'start', '--port', String(port)], { cwd: FIXTURE, encoding: 'utf8', timeout: 120_000 });
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use\\.`));
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    figures.push(['taken port refused with a clear error', 'yes']);
  });

  it('no Docker engine (DOCKER_HOST at a dead socket): the invocation fails with a clear error and start keeps serving', async () => {
    const dir = workspace();
    const socket = path.join(dir, 'dead-engine.sock');
    const service = await startCli(['--api-port', '0', '--backend', 'container', '--template', 'containers.yaml'], { cwd: dir, env: { ...process.env, DOCKER_HOST: `unix://${socket}` } });
    const lambda = client(service.apiUrl);
    try {
      const failure = await invoke(lambda, 'WorkFunction', { id: 'no-engine' }).then(() => undefined, (error: Error & { $metadata?: { httpStatusCode?: number } }) => error);
      assert.ok(failure, 'the invocation fails');
      assert.equal(failure.name, 'ResourceConflictException');
      assert.equal(failure.$metadata?.httpStatusCode, 409);
      assert.ok(failure.message.includes(`unix://${socket}`), failure.message);
      // Still serving: a second call gets the same answer, not a hang or a dead endpoint.
      const again = await invoke(lambda, 'WorkFunction', { id: 'no-engine-2' }).then(() => undefined, (error: Error) => error);
      assert.equal(again?.name, 'ResourceConflictException');
    } finally {
      lambda.destroy();
      assert.equal(await service.stop(), 0);
      rmSync(dir, { recursive: true, force: true });
    }
    figures.push(['no Docker engine: invocations answered 409 naming the socket', 'yes']);
  });

  it('the Docker engine restarted mid-run (an engine of the test\'s own): the caller in flight gets Runtime.ExitError, calls while it is down ServiceException, and the pool starts a new container once it is back', { skip: ownEngineSkipReason() }, async () => {
    const engine = await startOwnDockerEngine();
    const dir = workspace();
    let service: StartedCli | undefined;
    let lambda: LambdaClient | undefined;
    try {
      const docker = new Dockerode({ socketPath: engine.socket });
      await buildRuntimeImage(docker, NODE_RUNTIME);
      service = await startCli(['--api-port', '0', '--backend', 'container', '--template', 'containers.yaml'], { cwd: dir, env: { ...process.env, DOCKER_HOST: engine.dockerHost }, stderrTail: 1024 * 1024 });
      lambda = client(service.apiUrl);
      assert.deepEqual((await invoke(lambda, 'WorkFunction', { id: 'before-restart' })).body, { id: 'before-restart' });

      const inFlight = invoke(lambda, 'WorkFunction', { id: 'engine-victim', victim: true, workMs: 600_000 });
      await waitFor(() => processesWith('lwb-victim-engine-victim').length > 0, 120_000, 'the in-flight invocation\'s container');
      // SIGTERM, as systemd restarts an engine: it stops its containers and exits.
      await engine.stop();
      const victim = await inFlight;
      assert.equal(victim.functionError, 'Unhandled');
      assert.equal((victim.body as { errorType: string }).errorType, 'Runtime.ExitError', JSON.stringify(victim.body));

      // While the engine is down: Lambda's ServiceException (500, which the SDKs retry), at once, naming the socket.
      const down = await invoke(lambda, 'WorkFunction', { id: 'engine-down' }).then(() => undefined, (error: Error & { $metadata?: { httpStatusCode?: number } }) => error);
      assert.equal(down?.name, 'ServiceException');
      assert.equal(down?.$metadata?.httpStatusCode, 500);
      assert.ok(down?.message.includes(engine.socket), down?.message);

      await engine.start();
      assert.deepEqual((await invoke(lambda, 'WorkFunction', { id: 'after-restart' })).body, { id: 'after-restart' });
      assert.equal(await service.stop(), 0);
      service = undefined;
      assert.deepEqual((await docker.listContainers({ all: true })).map((c) => `${c.Names.join(',')} ${c.State}`), [], 'no container left on the engine');
    } finally {
      lambda?.destroy();
      await service?.stop();
      await engine.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
    figures.push(['Docker engine restarted mid-invocation: caller answered Runtime.ExitError / calls while down answered ServiceException / served after', 'yes / yes / yes']);
  });

  it('containers killed with docker kill during load: their callers get Runtime.ExitError and the pool replaces them', { skip: engineSkipReason() }, async () => {
    await testImage(NODE_RUNTIME);
    const dir = workspace();
    const service = await startCli(['--api-port', '0', '--backend', 'container', '--template', 'containers.yaml'], { cwd: dir, stderrTail: 1024 * 1024 });
    const lambda = client(service.apiUrl);
    try {
      const load = workLoad(lambda, LOAD_INVOCATIONS / 2, 'container-load');
      const outcomes: Array<Answer & { requestId?: string }> = [];
      for (const id of ['container-victim-0', 'container-victim-1']) {
        const call = invoke(lambda, 'WorkFunction', { id, victim: true, workMs: 600_000 });
        await waitFor(() => processesWith(`lwb-victim-${id}`).length > 0, 120_000, `${id}'s container`).catch((error: Error) => {
          throw new Error(`${error.message}\nstart's output ends with:\n${service.stderr().slice(-3000)}`);
        });
        const container = containerOf(processesWith(`lwb-victim-${id}`)[0]!);
        const killed = spawnSync('docker', ['kill', container], { encoding: 'utf8' });
        assert.equal(killed.status, 0, killed.stderr);
        outcomes.push(await call);
      }
      const answered = await load;
      for (const outcome of outcomes) {
        assert.equal(outcome.functionError, 'Unhandled');
        assert.deepEqual(outcome.body, exitError(outcome.requestId, 'Runtime.ExitError', 'signal: killed'));
      }
      assert.equal(await workLoad(lambda, CLIENTS * 2, 'container-after'), CLIENTS * 2);
      figures.push(['containers killed (docker kill) during load / callers answered Runtime.ExitError', `${outcomes.length} / ${outcomes.length}`],
        ['invocations on containers under load while containers were killed', answered]);
    } finally {
      lambda.destroy();
      assert.equal(await service.stop(), 0);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The id of the container a host process runs in, from its cgroup path. */
function containerOf(pid: number): string {
  const match = /[0-9a-f]{64}/.exec(readFileSync(`/proc/${pid}/cgroup`, 'utf8'));
  assert.ok(match, `process ${pid} runs in a container`);
  return match[0];
}
