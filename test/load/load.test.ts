// Load: synchronous invocations from 32 concurrent clients across Node.js, Python and a custom runtime on processes, a
// smaller run on containers, and an asynchronous backlog delivered exactly once; every answer is its request's (echoed id).
// `npm run test:load` runs the full counts (20,000 / 5,000); CI's test command runs LWB_LOAD_SCALE of them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEndpoint, type StartedEndpoint } from '../support/startedEndpoint';
import { startRecorder, type Recorder } from '../support/invocationRecorder';
import { descendantsOf } from '../support/processTree';
import { recordReliabilityFigures } from '../support/reliabilityReport';
import { waitFor } from '../support/waitFor';
import { engineSkipReason, NODE_RUNTIME, testImage } from '../container/containerHarness';

const SCALE = Number(process.env.LWB_LOAD_SCALE ?? '1');
const count = (full: number) => Math.max(32, Math.round(full * SCALE));
const CLIENTS = 32;
const SYNC_INVOCATIONS = count(20_000);
const CONTAINER_INVOCATIONS = count(2_000);
const ASYNC_EVENTS = count(5_000);
const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/load');
const C_BOOTSTRAP = path.resolve(__dirname, '../../../test/fixtures/custom-c/bootstrap.c');
const RUNTIME_PROCESS = /bootstrap(\.js|\.py)?( |$)/;

interface Answer {
  status: number;
  body: string;
}

function post(agent: Agent, url: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const call = request(url, { method: 'POST', agent, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    call.on('error', reject);
    call.end(body);
  });
}

/** Runs `total` tasks on `clients` concurrent workers; resolves with each task's latency in ms. */
async function runClients(total: number, clients: number, task: (n: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < total) {
      const n = next++;
      const started = process.hrtime.bigint();
      await task(n);
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }));
  return latencies;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const invokeUrl = (service: StartedEndpoint, functionName: string) => `${service.url}/2015-03-31/functions/${functionName}/invocations`;

/** The id in a function's answer: the echo functions return it, the C bootstrap returns the event it was given. */
function echoedId(body: string): unknown {
  const answer = JSON.parse(body) as { id?: unknown; event?: { id?: unknown } };
  return answer.id ?? answer.event?.id;
}

/** The runtime processes of the service's environments (not the bubblewrap processes around them). */
function runtimes(service: StartedEndpoint): string[] {
  return descendantsOf(service.pid).filter((p) => RUNTIME_PROCESS.test(p.command) && !p.command.includes('bwrap')).map((p) => p.command);
}

async function syncLoad(service: StartedEndpoint, functions: string[], total: number, prefix: string): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    return await runClients(total, CLIENTS, async (n) => {
      const functionName = functions[n % functions.length] as string;
      const id = `${prefix}-${n}`;
      const answer = await post(agent, invokeUrl(service, functionName), JSON.stringify({ id }));
      assert.equal(answer.status, 200, `${functionName} ${id}: ${answer.body}`);
      assert.equal(echoedId(answer.body), id, `${functionName} answered ${id} with ${answer.body}`);
    });
  } finally {
    agent.destroy();
  }
}

describe(`load (scale ${SCALE})`, () => {
  let dir: string;
  let recorder: Recorder;
  const services: StartedEndpoint[] = [];

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lwb-load-'));
    cpSync(FIXTURE, dir, { recursive: true });
    mkdirSync(path.join(dir, 'custom'), { recursive: true });
    const compiled = spawnSync('cc', ['-O2', '-o', path.join(dir, 'custom', 'bootstrap'), C_BOOTSTRAP], { encoding: 'utf8' });
    assert.equal(compiled.status, 0, `cc (scripts/setup.sh installs it): ${compiled.stderr}`);
    recorder = await startRecorder();
  });
  after(async () => {
    for (const service of services) await service.stop();
    await recorder.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${SYNC_INVOCATIONS} synchronous invocations from ${CLIENTS} clients across Node.js, Python and a custom runtime, then ${ASYNC_EVENTS} asynchronous events delivered exactly once`, async () => {
    const service = await startEndpoint(dir, ['--api-port', '0', '--parameter-overrides', `RecorderUrl=${recorder.url}`]);
    services.push(service);
    const functions = ['NodeEchoFunction', 'PythonEchoFunction', 'CustomEchoFunction'];
    const began = Date.now();
    const latencies = await syncLoad(service, functions, SYNC_INVOCATIONS, 'sync');
    const seconds = (Date.now() - began) / 1000;
    const warm = runtimes(service);
    const runtimesAfterLoad = warm.length;
    // A function never has more environments than it had invocations at once (at most one per client); functions do not
    // share environments, so each can reach that at its own moment.
    for (const kind of ['node/bootstrap.js', 'python/bootstrap.py', '/var/task/bootstrap']) {
      const ofKind = warm.filter((command) => command.includes(kind)).length;
      assert.ok(ofKind >= 1 && ofKind <= CLIENTS, `${ofKind} ${kind} runtimes for ${CLIENTS} concurrent clients`);
    }

    const asyncAgent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const acceptedAt = Date.now();
    await runClients(ASYNC_EVENTS, CLIENTS, async (n) => {
      const answer = await post(asyncAgent, invokeUrl(service, 'AsyncWorkFunction'), JSON.stringify({ id: `async-${n}` }), { 'X-Amz-Invocation-Type': 'Event' });
      assert.equal(answer.status, 202, answer.body);
    });
    asyncAgent.destroy();
    await waitFor(() => recorder.count('done') >= ASYNC_EVENTS, Math.max(300_000, ASYNC_EVENTS * 200), `${ASYNC_EVENTS} OnSuccess records`);
    const asyncSeconds = (Date.now() - acceptedAt) / 1000;
    // Settled: nothing more arrives than was sent, and each event arrived once.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.equal(recorder.count('done'), ASYNC_EVENTS);
    assert.equal(new Set(recorder.ids('done')).size, ASYNC_EVENTS);

    assert.equal(await service.stop(), 0, service.output().stderr.slice(-2000));
    assert.deepEqual(descendantsOf(service.pid), [], 'no environment outlives the stopped service');
    recordReliabilityFigures({
      key: 'load',
      title: 'Load (process backend)',
      rows: [
        ['synchronous invocations (Node.js, Python, custom runtime)', SYNC_INVOCATIONS],
        ['concurrent clients', CLIENTS],
        ['answered with their own id', latencies.length],
        ['throughput (invocations/s)', (SYNC_INVOCATIONS / seconds).toFixed(0)],
        ['latency p50 / p99 (ms)', `${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)}`],
        ['environments warm after the synchronous load', runtimesAfterLoad],
        ['asynchronous events accepted / delivered once to their destination', `${ASYNC_EVENTS} / ${new Set(recorder.ids('done')).size}`],
        ['asynchronous backlog drained in (s)', asyncSeconds.toFixed(1)],
        ['lost', ASYNC_EVENTS - new Set(recorder.ids('done')).size],
        ['environments left after stop', 0],
      ],
    });
  });

  it(`${CONTAINER_INVOCATIONS} synchronous invocations from ${CLIENTS} clients on containers`, { skip: engineSkipReason() }, async () => {
    await testImage(NODE_RUNTIME);
    const service = await startEndpoint(dir, ['--api-port', '0', '--backend', 'container', '--template', 'containers.yaml']);
    services.push(service);
    const began = Date.now();
    const latencies = await syncLoad(service, ['NodeEchoFunction'], CONTAINER_INVOCATIONS, 'container').catch((error: Error) => {
      throw new Error(`${error.message}; start's output ends with:\n${service.output().stderr.slice(-3000)}`);
    });
    const seconds = (Date.now() - began) / 1000;
    assert.equal(await service.stop(), 0, service.output().stderr.slice(-2000));
    recordReliabilityFigures({
      key: 'load-containers',
      title: 'Load (container backend)',
      rows: [
        ['synchronous invocations (Node.js)', CONTAINER_INVOCATIONS],
        ['concurrent clients', CLIENTS],
        ['answered with their own id', latencies.length],
        ['throughput (invocations/s)', (CONTAINER_INVOCATIONS / seconds).toFixed(0)],
        ['latency p50 / p99 (ms)', `${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)}`],
      ],
    });
  });
});
