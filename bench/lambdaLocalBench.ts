// lambda-local 2 side of the benchmark (bench harness): runs lambdaLocalWorker in child processes and collects its numbers.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { LoadPlan } from './invokeApiBench';
import type { LatencyResult, ThroughputResult } from './httpLoad';
import { endProcessTree } from './processTree';
import { elapsedMs, median } from './stats';

export interface LambdaLocalMeasurement {
  coldStartMs: number;
  coldStartRunsMs: number[];
  latency: LatencyResult;
  throughput: ThroughputResult;
  rssMb: number;
}

interface WorkerRun {
  firstResultMs: number;
  report?: { latency: LatencyResult; throughput: ThroughputResult; rssMb: number };
}

async function runWorker(handlerPath: string, plan: LoadPlan, cold: boolean): Promise<WorkerRun> {
  const args = [path.join(__dirname, 'lambdaLocalWorker.js'), handlerPath, String(plan.warmup), String(plan.sequential), String(plan.clients), String(plan.concurrent)];
  if (cold) args.push('--cold');
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4096)));
  const run: Partial<WorkerRun> = {};
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line === 'first') run.firstResultMs = elapsedMs(start);
    else run.report = JSON.parse(line) as WorkerRun['report'];
  });
  const finished = new Promise<WorkerRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && run.firstResultMs !== undefined) resolve(run as WorkerRun);
      else reject(new Error(`lambda-local worker exited with ${code}: ${stderr}`));
    });
  });
  try {
    return await finished;
  } finally {
    if (child.pid !== undefined) await endProcessTree(child.pid);
  }
}

export async function measureLambdaLocal(handlerPath: string, plan: LoadPlan): Promise<LambdaLocalMeasurement> {
  const coldStartRunsMs: number[] = [];
  for (let i = 0; i < plan.coldStarts; i++) coldStartRunsMs.push((await runWorker(handlerPath, plan, true)).firstResultMs);
  const { report } = await runWorker(handlerPath, plan, false);
  if (report === undefined) throw new Error('lambda-local worker printed no measurements');
  return { coldStartMs: median(coldStartRunsMs), coldStartRunsMs, ...report };
}
