// Measures one HTTP service that serves the trivial handler (bench harness): cold start, warm latency, throughput, RSS.
import { measureLatency, measureThroughput, waitForFirstResponse, type LatencyResult, type Target, type ThroughputResult } from './httpLoad';
import type { TreeMemory } from './processTree';
import { ServedProcess, type ServedProcessOptions } from './servedProcess';
import { median } from './stats';

export interface LoadPlan {
  coldStarts: number;
  warmup: number;
  sequential: number;
  clients: number;
  /** A second, wider concurrency level (64 clients). */
  wideClients: number;
  concurrent: number;
}

export interface ServiceMeasurement {
  /** Process start to first correct response, median of `coldStarts` fresh starts. */
  coldStartMs: number;
  coldStartRunsMs: number[];
  latency: LatencyResult;
  throughput: ThroughputResult;
  throughputWide: ThroughputResult;
  /** The service's process tree after the sequential run (one warm instance) and after each concurrent run. */
  rssSequential: TreeMemory;
  rssConcurrent: TreeMemory;
  rssWide: TreeMemory;
}

/** How to start one fresh copy of a service and where it answers. */
export interface ServiceLauncher {
  label: string;
  launch(): Promise<{ options: ServedProcessOptions; target: Target }>;
}

async function started(launcher: ServiceLauncher): Promise<{ service: ServedProcess; target: Target; firstResponseMs: number }> {
  const { options, target } = await launcher.launch();
  const service = new ServedProcess(launcher.label, options);
  try {
    const firstResponseMs = await waitForFirstResponse(target, service.startedAt, () => service.exited());
    return { service, target, firstResponseMs };
  } catch (error) {
    await service.stop();
    throw new Error(`${launcher.label}: ${(error as Error).message}\n${service.recentOutput()}`);
  }
}

/** Process start to first correct response of `count` fresh starts. */
export async function measureColdStarts(launcher: ServiceLauncher, count: number): Promise<{ medianMs: number; runsMs: number[] }> {
  const runsMs: number[] = [];
  for (let i = 0; i < count; i++) {
    const { service, firstResponseMs } = await started(launcher);
    runsMs.push(firstResponseMs);
    await service.stop();
  }
  return { medianMs: median(runsMs), runsMs };
}

/** The same launcher, its process started without the environment variable `name`. */
export function withoutVariable(launcher: ServiceLauncher, name: string): ServiceLauncher {
  return {
    label: `${launcher.label} (${name} unset)`,
    async launch() {
      const { options, target } = await launcher.launch();
      const env = { ...(options.env ?? process.env) };
      delete env[name];
      return { options: { ...options, env }, target };
    },
  };
}

export async function measureService(launcher: ServiceLauncher, plan: LoadPlan): Promise<ServiceMeasurement> {
  const { medianMs: coldStartMs, runsMs: coldStartRunsMs } = await measureColdStarts(launcher, plan.coldStarts);
  const { service, target } = await started(launcher);
  try {
    const latency = await measureLatency(target, plan.warmup, plan.sequential);
    const rssSequential = service.memory();
    // An unmeasured concurrent round first, so instances or workers scaled up for 16 clients are warm.
    await measureThroughput(target, plan.clients, plan.warmup);
    const throughput = await measureThroughput(target, plan.clients, plan.concurrent);
    const rssConcurrent = service.memory();
    await measureThroughput(target, plan.wideClients, plan.warmup);
    const throughputWide = await measureThroughput(target, plan.wideClients, plan.concurrent);
    const rssWide = service.memory();
    return { coldStartMs, coldStartRunsMs, latency, throughput, throughputWide, rssSequential, rssConcurrent, rssWide };
  } finally {
    await service.stop();
  }
}
