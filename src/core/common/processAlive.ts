// Whether a process id names a live process: how a file's owner (a journal, a folder, a container label) is told gone.

/** True while `pid` runs, also as another user's process (EPERM). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
