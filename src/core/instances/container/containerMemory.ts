// A container's memory from its own cgroup accounting: the cgroup files of a local engine, else the engine's stats API.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import type Dockerode from 'dockerode';

export interface ContainerMemory {
  /** Highest usage since the container started, in bytes. */
  peakBytes(): Promise<number>;
  currentBytes(): Promise<number>;
  /** The container is gone: releases the cgroup files it kept open. */
  close(): void;
}

interface CgroupFiles<T = string> {
  peak?: T;
  current: T;
}

/** Where Docker (and rootful Podman) put a container's memory cgroup: cgroup v1 and v2, cgroupfs and systemd drivers. */
function cgroupFiles(containerId: string): CgroupFiles | undefined {
  const v1 = [
    `/sys/fs/cgroup/memory/docker/${containerId}`,
    `/sys/fs/cgroup/memory/system.slice/docker-${containerId}.scope`,
    `/sys/fs/cgroup/memory/libpod_parent/libpod-${containerId}`,
    `/sys/fs/cgroup/memory/machine.slice/libpod-${containerId}.scope`,
  ];
  for (const dir of v1) {
    if (existsSync(`${dir}/memory.max_usage_in_bytes`)) return { peak: `${dir}/memory.max_usage_in_bytes`, current: `${dir}/memory.usage_in_bytes` };
  }
  const v2 = [
    `/sys/fs/cgroup/system.slice/docker-${containerId}.scope`,
    `/sys/fs/cgroup/docker/${containerId}`,
    `/sys/fs/cgroup/machine.slice/libpod-${containerId}.scope`,
    `/sys/fs/cgroup/libpod_parent/libpod-${containerId}`,
  ];
  for (const dir of v2) {
    if (existsSync(`${dir}/memory.current`)) {
      // memory.peak exists from Linux 5.19 on; before that the peak is the highest value we have seen.
      return existsSync(`${dir}/memory.peak`) ? { peak: `${dir}/memory.peak`, current: `${dir}/memory.current` } : { current: `${dir}/memory.current` };
    }
  }
  return undefined;
}

/**
 * Memory of a running container. `localEngine`: the engine runs on this machine, so its cgroup files can be read
 * directly (fast enough for every REPORT line); otherwise each reading is a stats API call.
 */
export function containerMemory(container: Dockerode.Container, localEngine: boolean): ContainerMemory {
  // The cgroup exists only once the container runs: look it up on first use, not when the container is created.
  let cached: CgroupFiles<CgroupCounter> | undefined;
  const cgroup = (): CgroupFiles<CgroupCounter> | undefined => {
    if (cached === undefined && localEngine) {
      const files = cgroupFiles(container.id);
      if (files) cached = { current: new CgroupCounter(files.current), ...(files.peak ? { peak: new CgroupCounter(files.peak) } : {}) };
    }
    return cached;
  };
  let highest = 0;
  const current = async (): Promise<number> => {
    const files = cgroup();
    const bytes = files ? files.current.read() : await statsUsage(container);
    highest = Math.max(highest, bytes ?? 0);
    return bytes ?? 0;
  };
  return {
    currentBytes: current,
    peakBytes: async () => {
      const files = cgroup();
      const peak = files?.peak ? files.peak.read() : files ? undefined : await statsPeak(container);
      if (peak === undefined) await current();
      highest = Math.max(highest, peak ?? 0);
      return highest;
    },
    close: () => {
      cached?.current.close();
      cached?.peak?.close();
    },
  };
}

/**
 * One number in a cgroup file, kept open and read again from its start (the kernel makes the text anew at offset 0):
 * one system call per reading, for every REPORT line, instead of an open, a read and a close.
 */
class CgroupCounter {
  private fd: number | undefined;
  private readonly text = Buffer.alloc(32);

  constructor(private readonly file: string) {}

  read(): number | undefined {
    try {
      this.fd ??= openSync(this.file, 'r');
      const bytes = readSync(this.fd, this.text, 0, this.text.length, 0);
      return Number(this.text.toString('latin1', 0, bytes).trim());
    } catch {
      // The cgroup disappears with the container: the last value we saw stands.
      this.close();
      return undefined;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

interface MemoryStats {
  memory_stats?: { usage?: number; max_usage?: number };
}

async function stats(container: Dockerode.Container): Promise<MemoryStats | undefined> {
  try {
    return (await container.stats({ stream: false, 'one-shot': true } as { stream: false })) as MemoryStats;
  } catch {
    return undefined;
  }
}

async function statsUsage(container: Dockerode.Container): Promise<number | undefined> {
  return (await stats(container))?.memory_stats?.usage;
}

/** cgroup v1 engines report max_usage; v2 engines do not, and the caller falls back to sampled usage. */
async function statsPeak(container: Dockerode.Container): Promise<number | undefined> {
  return (await stats(container))?.memory_stats?.max_usage;
}
