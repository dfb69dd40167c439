// Process groups of live runtimes, ended when the tool exits so no runtime process outlives it, and the children they hold.
import { readFileSync } from 'node:fs';

/** Each live group's leader, with how the tool's exit ends it (the whole group killed unless it says otherwise). */
const live = new Map<number, () => void>();
let exitHookInstalled = false;

export function killProcessGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export function trackProcessGroup(pid: number, end: () => void = () => killProcessGroup(pid)): void {
  live.set(pid, end);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const end of live.values()) end();
    });
  }
}

export function untrackProcessGroup(pid: number): void {
  live.delete(pid);
}

/** A process's first child (a wrapper's runtime: the processes a subreaper adopts later come after it), once it exists. */
export function firstChild(pid: number): number | undefined {
  try {
    const child = Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]);
    return child > 0 ? child : undefined;
  } catch {
    return undefined;
  }
}
