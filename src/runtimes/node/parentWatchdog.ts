// Ends the runtime when the engine that started it is gone (its parent changed: the service was killed), so no runtime lingers.

/** How often the parent is checked (cheap: one getppid). */
const CHECK_MS = 1_000;

/** Watches the parent while the event loop runs; a runtime started by init or as a container's first process has none to watch. */
export function watchParent(): void {
  const parent = process.ppid;
  if (parent <= 1) return;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    process.stderr.write(`Lambda Workbench runtime: the engine that started this runtime (pid ${parent}) is gone; exiting.\n`);
    process.exit(1);
  }, CHECK_MS);
  // Never what keeps the runtime alive (the beforeExit semantics of handlers stay Lambda's).
  timer.unref();
}
