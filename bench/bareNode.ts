// The memory reference of an execution environment (bench harness): RSS of a bare idle `node -e 'setInterval(()=>{},1e9)'`.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { processRssMb } from './processTree';
import { median } from './stats';

/** How long the bare process idles before its RSS is read (startup done, nothing more to load). */
const SETTLE_MS = 1_000;

/** Median RSS in MB of `runs` bare idle Node.js processes, each started, read after SETTLE_MS, and killed. */
export async function bareNodeRssMb(runs: number): Promise<{ rssMb: number; runsMb: number[] }> {
  const runsMb: number[] = [];
  for (let i = 0; i < runs; i++) {
    const child = spawn(process.execPath, ['-e', 'setInterval(()=>{},1e9)'], { stdio: 'ignore' });
    try {
      await sleep(SETTLE_MS);
      if (child.pid === undefined || child.exitCode !== null) throw new Error('the bare node process did not start');
      runsMb.push(processRssMb(child.pid));
    } finally {
      child.kill('SIGKILL');
    }
  }
  return { rssMb: median(runsMb), runsMb };
}
