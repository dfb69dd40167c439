// Memory of a local process read from /proc (Linux), in MB: the resident set now and its peak (VmHWM).
import { closeSync, openSync, readSync } from 'node:fs';

export interface ProcessMemory {
  rssMB: number;
  peakMB: number;
}

const VM_RSS = /^VmRSS:\s+(\d+) kB/m;
const VM_HWM = /^VmHWM:\s+(\d+) kB/m;
/** /proc/<pid>/status is about 1.5 kB. */
const STATUS_BYTES = 8192;

function megabytes(status: string, field: RegExp): number {
  const match = field.exec(status);
  return match ? Math.ceil(Number(match[1]) / 1024) : 0;
}

/**
 * Reads one process's /proc/<pid>/status through a descriptor kept open: each reading is one pread from offset 0
 * (the kernel renders the file afresh), not an open, reads and a close, on the invocation's hot path. Read
 * synchronously: /proc is not disk I/O, and a thread-pool round trip would cost more than the read.
 */
export class ProcessMemoryReader {
  private fd: number | undefined;
  private readonly buffer = Buffer.allocUnsafe(STATUS_BYTES);

  constructor(private readonly pid: number) {}

  /** Undefined when the process is gone or /proc is not available (non-Linux hosts). */
  read(): ProcessMemory | undefined {
    try {
      this.fd ??= openSync(`/proc/${this.pid}/status`, 'r');
      const status = this.buffer.toString('latin1', 0, readSync(this.fd, this.buffer, 0, STATUS_BYTES, 0));
      return { rssMB: megabytes(status, VM_RSS), peakMB: megabytes(status, VM_HWM) };
    } catch {
      this.close();
      return undefined;
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    this.fd = undefined;
  }
}
