// Load generation over keep-alive HTTP on loopback (bench harness): sequential latency and concurrent throughput.
import * as http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { elapsedMs, median, percentile } from './stats';

/** The Invoke API path of the benchmark's function (named `trivial` in every fixture). */
export const INVOKE_PATH = '/2015-03-31/functions/trivial/invocations';

/** One POST target: an Invoke API URL of a function, or the bare floor server. */
export interface Target {
  port: number;
  path: string;
}

export interface LatencyResult {
  p50Ms: number;
  p99Ms: number;
  count: number;
}

export interface ThroughputResult {
  perSecond: number;
  count: number;
  clients: number;
}

/** POSTs `body` and resolves with the status and response text; rejects on a transport error. */
export function post(target: Target, body: string, agent: http.Agent | false): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: target.path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** The trivial handler's answer to `{ n }`; anything else means the measured call did not do the work. */
export function expectedAnswer(n: number): string {
  return JSON.stringify({ statusCode: 200, body: JSON.stringify({ ok: true, n }) });
}

async function invokeChecked(target: Target, n: number, agent: http.Agent): Promise<void> {
  const { status, text } = await post(target, JSON.stringify({ n }), agent);
  if (status !== 200 || text !== expectedAnswer(n)) {
    throw new Error(`POST ${target.path} on port ${target.port} answered ${status}: ${text.slice(0, 300)}`);
  }
}

/** Upper bound of one latency measurement: a slow service yields fewer samples rather than a run of hours. */
export const LATENCY_BUDGET_MS = 30_000;

/**
 * Sequential invocations on one keep-alive connection: `warmup` unmeasured (within a fifth of `budgetMs`), then
 * `count` measured (within `budgetMs`); the result's count says how many were measured.
 */
export async function measureLatency(target: Target, warmup: number, count: number, budgetMs = LATENCY_BUDGET_MS): Promise<LatencyResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const warmupStart = process.hrtime.bigint();
    for (let i = 0; i < warmup && elapsedMs(warmupStart) < budgetMs / 5; i++) await invokeChecked(target, i, agent);
    const samples: number[] = [];
    const measureStart = process.hrtime.bigint();
    for (let i = 0; i < count && (i === 0 || elapsedMs(measureStart) < budgetMs); i++) {
      const start = process.hrtime.bigint();
      await invokeChecked(target, i, agent);
      samples.push(elapsedMs(start));
    }
    return { p50Ms: median(samples), p99Ms: percentile(samples, 0.99), count: samples.length };
  } finally {
    agent.destroy();
  }
}

/** `clients` keep-alive connections invoking back to back until `count` invocations have completed. */
export async function measureThroughput(target: Target, clients: number, count: number): Promise<ThroughputResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  try {
    let issued = 0;
    const client = async (): Promise<void> => {
      while (issued < count) await invokeChecked(target, issued++, agent);
    };
    const start = process.hrtime.bigint();
    await Promise.all(Array.from({ length: clients }, client));
    return { perSecond: count / (elapsedMs(start) / 1000), count, clients };
  } finally {
    agent.destroy();
  }
}

/**
 * Polls with `{ n: 0 }` on fresh connections until the target answers correctly; resolves with the elapsed
 * milliseconds since `since`. Rejects when `isDead()` says the server has exited or after `limitMs`.
 */
export async function waitForFirstResponse(target: Target, since: bigint, isDead: () => string | undefined, limitMs = 60_000): Promise<number> {
  let lastError = 'no attempt yet';
  while (elapsedMs(since) < limitMs) {
    const dead = isDead();
    if (dead !== undefined) throw new Error(`the service exited before answering: ${dead}`);
    try {
      const { status, text } = await post(target, JSON.stringify({ n: 0 }), false);
      if (status === 200 && text === expectedAnswer(0)) return elapsedMs(since);
      lastError = `status ${status}: ${text.slice(0, 200)}`;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await sleep(2);
  }
  throw new Error(`no correct answer within ${limitMs} ms (last: ${lastError})`);
}
