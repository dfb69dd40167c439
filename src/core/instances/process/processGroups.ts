// Process groups of live runtimes, ended when the tool exits so no runtime process outlives it.

const live = new Set<number>();
let exitHookInstalled = false;

export function killProcessGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export function trackProcessGroup(pid: number): void {
  live.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const group of live) killProcessGroup(group);
    });
  }
}

export function untrackProcessGroup(pid: number): void {
  live.delete(pid);
}
