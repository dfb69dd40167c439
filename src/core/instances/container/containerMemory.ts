// A container's memory from its own cgroup accounting: the cgroup files of a local engine, else the engine's stats API.
import { existsSync, readFileSync } from 'node:fs';
import type Dockerode from 'dockerode';

export interface ContainerMemory {
  /** Highest usage since the container started, in bytes. */
  peakBytes(): Promise<number>;
  currentBytes(): Promise<number>;
}

interface CgroupFiles {
  peak?: string;
  current: string;
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
  let cached: CgroupFiles | undefined;
  const cgroup = (): CgroupFiles | undefined => (cached ??= localEngine ? cgroupFiles(container.id) : undefined);
  let highest = 0;
  const current = async (): Promise<number> => {
    const files = cgroup();
    const bytes = files ? readNumber(files.current) : await statsUsage(container);
    highest = Math.max(highest, bytes ?? 0);
    return bytes ?? 0;
  };
  return {
    currentBytes: current,
    peakBytes: async () => {
      const files = cgroup();
      const peak = files?.peak ? readNumber(files.peak) : files ? undefined : await statsPeak(container);
      if (peak === undefined) await current();
      highest = Math.max(highest, peak ?? 0);
      return highest;
    },
  };
}

/** A cgroup file is a few bytes in kernel memory: reading it synchronously costs microseconds, a thread-pool round trip more. */
function readNumber(file: string): number | undefined {
  try {
    return Number(readFileSync(file, 'utf8').trim());
  } catch {
    // The cgroup disappears with the container: the last value we saw stands.
    return undefined;
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
