// Debugging: an environment started for the debugger stops when its inspector could not listen; runs inside an instance.
/** The address of the inspector flag the engine started the runtime with (`--inspect-wait=host:port`), if any. */
function requestedInspector(): string | undefined {
  const flag = process.execArgv.find((arg) => /^--inspect(-wait|-brk)?(=|$)/.test(arg));
  return flag === undefined ? undefined : (flag.split('=')[1] ?? '127.0.0.1:9229');
}

/**
 * Node.js goes on without its inspector when the port is taken: it only prints "Starting inspector on ... failed", so
 * the function would run undebugged while the debugger waits for a port that never opens. The runtime stops instead,
 * and says why (an init failure of the invocation).
 */
export function exitUnlessInspectorListens(): void {
  const address = requestedInspector();
  if (address === undefined) return;
  // Loaded only then: node:inspector is outside Node.js's startup snapshot (see channelTransport.ts on node:net).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if ((require('node:inspector') as typeof import('node:inspector')).url() !== undefined) return;
  process.stderr.write(`Lambda Workbench runtime: this environment was started for debugging, but the debugger could not listen on ${address} ` +
    '(Node.js says why above), so the function was not run. Free that port or choose another one (the CLI\'s --debug-port; ' +
    'a new debug session picks another), then invoke again.\n');
  process.exit(1);
}
