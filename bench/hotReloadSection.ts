// Benchmark section of the debugging issue (bench harness): hot reload latency of a TypeScript handler (file saved ->
// first invocation returning the new body) and warm p50 with hot reload off and on, per backend.
import { readFileSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixtureCopy } from './benchPaths';
import { startEngineHost, type BenchBackend } from './engineHostProcess';
import { measureLatency, post, waitForFirstResponse, type LatencyResult } from './httpLoad';
import { RUNTIME_IMAGE } from './containerSection';
import { elapsedMs, median } from './stats';

export interface HotReloadMeasurement {
  reloadMs: number;
  reloadRunsMs: number[];
  warmHotReloadOff: LatencyResult;
  warmHotReloadOn: LatencyResult;
}

export interface HotReloadPlan {
  reloads: number;
  warmup: number;
  sequential: number;
}

/** Pause between saves, so that each save is its own reload (longer than the watcher's debounce). */
const SETTLE_MS = 300;
const RELOAD_LIMIT_MS = 30_000;

/** The handler source with a `version` field added to its body. */
function handlerVersion(original: string, version: number): string {
  const edited = original.replace('ok: true,', `ok: true, version: ${version},`);
  if (edited === original) throw new Error("the reload fixture's handler no longer contains 'ok: true,'");
  return edited;
}

async function firstAnswerWithVersion(target: { port: number; path: string }, version: number, since: bigint): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    let last = '';
    while (elapsedMs(since) < RELOAD_LIMIT_MS) {
      const { status, text } = await post(target, JSON.stringify({ n: version }), agent);
      last = `${status} ${text}`;
      if (status === 200 && text.includes(`\\"version\\":${version}`)) return elapsedMs(since);
      await sleep(2);
    }
    throw new Error(`no answer with version ${version} within ${RELOAD_LIMIT_MS} ms (last: ${last})`);
  } finally {
    agent.destroy();
  }
}

async function measureBackend(backend: BenchBackend, plan: HotReloadPlan): Promise<HotReloadMeasurement> {
  const fixture = fixtureCopy('reload-ts');
  const template = path.join(fixture.dir, 'template.yaml');
  const handlerFile = path.join(fixture.dir, 'src', 'handler.ts');
  const original = readFileSync(handlerFile, 'utf8');
  const image = backend === 'container' ? { image: RUNTIME_IMAGE } : {};
  try {
    const off = await startEngineHost({ template, backend, hotReload: false, ...image });
    let warmHotReloadOff: LatencyResult;
    try {
      warmHotReloadOff = await measureLatency(off.target, plan.warmup, plan.sequential);
    } finally {
      await off.host.stop();
    }
    const on = await startEngineHost({ template, backend, hotReload: true, ...image });
    try {
      await waitForFirstResponse(on.target, process.hrtime.bigint(), () => on.host.exited());
      const warmHotReloadOn = await measureLatency(on.target, plan.warmup, plan.sequential);
      const reloadRunsMs: number[] = [];
      for (let version = 1; version <= plan.reloads; version++) {
        await sleep(SETTLE_MS);
        const saved = process.hrtime.bigint();
        writeFileSync(handlerFile, handlerVersion(original, version));
        reloadRunsMs.push(await firstAnswerWithVersion(on.target, version, saved));
      }
      return { reloadMs: median(reloadRunsMs), reloadRunsMs, warmHotReloadOff, warmHotReloadOn };
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${on.host.recentOutput()}`);
    } finally {
      await on.host.stop();
    }
  } finally {
    fixture.remove();
  }
}

export async function runHotReloadSection(
  backends: BenchBackend[],
  plan: HotReloadPlan,
  log: (line: string) => void,
): Promise<Partial<Record<BenchBackend, HotReloadMeasurement>>> {
  const results: Partial<Record<BenchBackend, HotReloadMeasurement>> = {};
  for (const backend of backends) {
    log(`hot reload: TypeScript handler, ${backend} backend`);
    results[backend] = await measureBackend(backend, plan);
  }
  return results;
}
