// Process checks shared by the test suites (test process side).
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Whether a process with this pid runs (signal 0 probes without signalling). A zombie has ended and only waits for its
 * parent's wait (a sandbox's pid-namespace init, reparented to init when bubblewrap exits first): it does not count.
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/** Every process of the machine whose command line holds `text` (fixtures' victims and daemons mark themselves with a token). */
export function processesWith(text: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(text)) found.push(Number(name));
    } catch {
      // ended meanwhile
    }
  }
  return found.filter((pid) => pid !== process.pid);
}
