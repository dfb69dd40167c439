// `start --watch`: hot reload on save for every function, with the reloader and timings of F5 (src/core/watch/hotReloader.ts).
import type { Writable } from 'node:stream';
import type { HotReloader, ReloadTarget } from '../core/watch/hotReloader';
import type { FlagSpec } from './argParser';
import type { FunctionSource } from './functionSource';

export const WATCH_FLAG: FlagSpec = {
  name: 'watch',
  kind: 'boolean',
  description: 'Rebuild and reload a function when its code or template is saved (warm environments are replaced; a failed build keeps the old code).',
};

/** Starts one reloader per function; each reload is reported on `messages`. Resolves to what stops them all. */
export async function watchFunctions(service: ReloadTarget, source: FunctionSource, messages: Writable): Promise<{ dispose(): Promise<void> }> {
  // Loaded with --watch only: the file watcher (chokidar) is not part of every start.
  const { describeReload, HotReloader, reloadWatchPaths } = await import('../core/watch/hotReloader.js');
  const reloaders: HotReloader[] = [];
  try {
    for (const spec of source.registry.list()) {
      const reloader = await HotReloader.start(service, {
        functionName: spec.functionName,
        watchPaths: reloadWatchPaths(spec, source.templatePath),
        ignoredPaths: [source.stateDir],
      });
      reloader.onDidReload((outcome) => void messages.write(`${describeReload(outcome)}\n`));
      reloaders.push(reloader);
    }
  } catch (error) {
    await Promise.all(reloaders.map((reloader) => reloader.dispose()));
    throw error;
  }
  return { dispose: async () => void (await Promise.all(reloaders.map((reloader) => reloader.dispose()))) };
}
