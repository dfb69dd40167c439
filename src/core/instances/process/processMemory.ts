// Memory of a local process read from /proc (Linux), in MB: the resident set now and its peak (VmHWM).
import { readFileSync } from 'node:fs';

export interface ProcessMemory {
  rssMB: number;
  peakMB: number;
}

/**
 * Undefined when the process is gone or /proc is not available (non-Linux hosts). Read synchronously: /proc is not
 * disk I/O, and a thread-pool round trip would cost more than the read on the invocation's hot path.
 */
export function readProcessMemory(pid: number): ProcessMemory | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : 0;
  };
  return { rssMB: Math.ceil(kb('VmRSS') / 1024), peakMB: Math.ceil(kb('VmHWM') / 1024) };
}
