// The processes descended from one process, read from /proc (Linux): what a test file started and must have ended.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** Process group: an environment of the process backend leads a group of its own (detached). */
  pgid: number;
  /** Start time in clock ticks after boot: with the pid, it tells this process from a later one given the same pid. */
  startTime: number;
  command: string;
}

function readEntry(pid: number): ProcessEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command sits in parentheses and may itself hold spaces and parentheses: fields follow the last ')'.
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    if (fields[0] === 'Z') return undefined; // a zombie has ended; only its parent's wait is missing
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() || stat.slice(stat.indexOf('(') + 1, close);
    return { pid, ppid: Number(fields[1]), pgid: Number(fields[2]), startTime: Number(fields[19]), command };
  } catch {
    return undefined;
  }
}

/** Every live process of the machine (zombies left out). */
export function liveProcesses(): ProcessEntry[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map((name) => readEntry(Number(name))).filter((e): e is ProcessEntry => e !== undefined);
}

/** Every live process whose parent chain leads to `root` (not `root` itself). */
export function descendantsOf(root: number): ProcessEntry[] {
  const entries = liveProcesses();
  const children = new Map<number, ProcessEntry[]>();
  for (const entry of entries) children.set(entry.ppid, [...(children.get(entry.ppid) ?? []), entry]);
  const found: ProcessEntry[] = [];
  const queue = [root];
  while (queue.length) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}
