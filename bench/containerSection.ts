// Benchmark section of the container issue (bench harness): container backend cold first invocation against a bare
// `docker run`, and its warm p50 against the process backend's, both served by `lambda-workbench start` (dist/cli.js).
import * as path from 'node:path';
import { officialImageFor } from '../src/core/images/officialImages';
import { fixtureCopy } from './benchPaths';
import { commandFails, timedCommand } from './commandTiming';
import { startCliService, type BenchBackend } from './engineHostProcess';
import { expectedAnswer, measureLatency, post, type LatencyResult } from './httpLoad';
import { elapsedMs, median } from './stats';

export const RUNTIME_IMAGE = 'lambda-workbench/runtime:nodejs20.x';
/** The official base image `start` prefers when present (containerBackend.ts findImage); the fixture is x86_64. */
const OFFICIAL_IMAGE = officialImageFor('nodejs20.x', 'x86_64');

export interface BackendColdWarm {
  /** Service already listening: first invocation (new instance) to its response, median of fresh services. */
  coldFirstInvokeMs: number;
  coldFirstInvokeRunsMs: number[];
  warm: LatencyResult;
}

export interface ContainerSection {
  image: string;
  bareDockerRunMs: number;
  bareDockerRunRunsMs: number[];
  process: BackendColdWarm;
  container: BackendColdWarm;
}

export interface Plan {
  coldStarts: number;
  warmup: number;
  sequential: number;
}

/** Why the container benchmarks cannot run here, or undefined when they can. */
export async function containerPrerequisite(): Promise<string | undefined> {
  const engine = await commandFails('docker', ['info']);
  if (engine !== undefined) return `no Docker engine answered (start one with 'bash scripts/docker-engine.sh start'): ${engine}`;
  const image = await commandFails('docker', ['image', 'inspect', RUNTIME_IMAGE]);
  if (image !== undefined) return `image ${RUNTIME_IMAGE} is missing (build it with 'node dist/cli.js images build nodejs20.x')`;
  if ((await commandFails('docker', ['image', 'inspect', OFFICIAL_IMAGE])) === undefined) {
    return `${OFFICIAL_IMAGE} is present: start would run it instead of ${RUNTIME_IMAGE} (remove it with 'docker image rm ${OFFICIAL_IMAGE}')`;
  }
  return undefined;
}

async function coldAndWarm(template: string, backend: BenchBackend, plan: Plan): Promise<BackendColdWarm> {
  const coldFirstInvokeRunsMs: number[] = [];
  for (let i = 0; i < plan.coldStarts; i++) {
    const { host, target } = await startCliService(template, backend);
    try {
      const start = process.hrtime.bigint();
      const { status, text } = await post(target, JSON.stringify({ n: 0 }), false);
      if (status !== 200 || text !== expectedAnswer(0)) throw new Error(`${backend} backend answered ${status}: ${text}\n${host.recentOutput()}`);
      coldFirstInvokeRunsMs.push(elapsedMs(start));
    } finally {
      await host.stop();
    }
  }
  const { host, target } = await startCliService(template, backend);
  try {
    const warm = await measureLatency(target, plan.warmup, plan.sequential);
    return { coldFirstInvokeMs: median(coldFirstInvokeRunsMs), coldFirstInvokeRunsMs, warm };
  } finally {
    await host.stop();
  }
}

export async function runContainerSection(plan: Plan, log: (line: string) => void): Promise<ContainerSection> {
  // The image's entrypoint is the runtime bootstrap: the reference run starts plain node in it instead.
  log(`containers: bare 'docker run --rm --network host --entrypoint node ${RUNTIME_IMAGE} -e ""'`);
  const bareDockerRunRunsMs: number[] = [];
  for (let i = 0; i < plan.coldStarts; i++) {
    bareDockerRunRunsMs.push((await timedCommand('docker', ['run', '--rm', '--network', 'host', '--entrypoint', 'node', RUNTIME_IMAGE, '-e', ''])).ms);
  }
  const fixture = fixtureCopy('trivial');
  try {
    const template = path.join(fixture.dir, 'template.yaml');
    log('containers: process backend, cold first invocation and warm latency');
    const processBackend = await coldAndWarm(template, 'process', plan);
    log('containers: container backend, cold first invocation and warm latency');
    const container = await coldAndWarm(template, 'container', plan);
    return { image: RUNTIME_IMAGE, bareDockerRunMs: median(bareDockerRunRunsMs), bareDockerRunRunsMs, process: processBackend, container };
  } finally {
    fixture.remove();
  }
}
