// Memory of a local process read from /proc (Linux), in MB: the resident set now and its peak (VmHWM).
import { readFile } from 'node:fs/promises';

export interface ProcessMemory {
  rssMB: number;
  peakMB: number;
}

/** Undefined when the process is gone or /proc is not available (non-Linux hosts). */
export async function readProcessMemory(pid: number): Promise<ProcessMemory | undefined> {
  let status: string;
  try {
    status = await readFile(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : 0;
  };
  return { rssMB: Math.ceil(kb('VmRSS') / 1024), peakMB: Math.ceil(kb('VmHWM') / 1024) };
}
