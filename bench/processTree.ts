// Process trees on Linux (bench harness): descendants and resident memory read from /proc, and ending a tree by pid.
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** State and parent pid of `pid` from /proc/<pid>/stat; undefined when it is gone or a zombie (it has exited). */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields after the last ')' are fixed.
    const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return state === 'Z' ? undefined : Number(parent);
  } catch {
    return undefined;
  }
}

/** `root` and every live descendant of it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const parent = parentOf(pid);
    if (parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const tree: number[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    if (parentOf(pid) === undefined) continue;
    tree.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Resident set size of one process in bytes (VmRSS), 0 when it is gone. */
function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** A process tree's memory: summed RSS, process count, the root's own RSS, and how many execution environments it runs. */
export interface TreeMemory {
  rssMb: number;
  processes: number;
  rootRssMb: number;
  /** Processes running a runtime bootstrap (our runtime clients), their bubblewrap wrappers aside. */
  environments: number;
}

function runsBootstrap(pid: number): boolean {
  try {
    const [command = '', ...args] = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return !command.endsWith('bwrap') && args.some((arg) => /\/bootstrap(\.js|\.py)?$/.test(arg));
  } catch {
    return false;
  }
}

const MB = 1024 * 1024;

export function treeMemory(root: number): TreeMemory {
  const pids = processTree(root);
  const bytes = pids.reduce((sum, pid) => sum + rssBytes(pid), 0);
  return { rssMb: bytes / MB, processes: pids.length, rootRssMb: rssBytes(root) / MB, environments: pids.filter(runsBootstrap).length };
}

/** RSS of one process in MB (0 when it is gone). */
export function processRssMb(pid: number): number {
  return rssBytes(pid) / MB;
}

function alive(pid: number): boolean {
  return parentOf(pid) !== undefined;
}

/**
 * Ends `root` and all its descendants: SIGTERM to the root (so it can stop its own children), then SIGKILL,
 * by pid, to every process of the tree captured beforehand that is still alive after `graceMs`.
 */
export async function endProcessTree(root: number, graceMs = 5000): Promise<void> {
  const pids = processTree(root);
  if (pids.length === 0) return;
  try {
    process.kill(root, 'SIGTERM');
  } catch {
    // Already gone: its descendants are checked below.
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some(alive)) await sleep(20);
  for (const pid of pids.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Exited between the check and the kill.
    }
  }
}
