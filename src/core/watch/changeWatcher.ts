// Watches files and directories with chokidar and reports changes as debounced batches (engine side, no vscode).
import { watch, type FSWatcher } from 'chokidar';
import * as path from 'node:path';
import { Emitter, type Event } from '../common/events';
import type { Disposable } from '../common/disposable';

/** Directories that never hold code the user edits: dependencies, VCS data, build and state output. */
const IGNORED_DIRECTORY = /(^|[\\/])(node_modules|\.git|\.aws-sam|\.lambda-workbench|__pycache__)([\\/]|$)/;

const DEFAULT_DEBOUNCE_MS = 50;

export interface ChangeWatcherOptions {
  /** Quiet time after the last change before a batch is reported. */
  debounceMs?: number;
  /** Extra paths (and everything under them) to ignore, e.g. the engine's state directory. */
  ignoredPaths?: string[];
}

/** A started watcher; `onDidChange` fires with the absolute paths changed since the previous batch. */
export class ChangeWatcher implements Disposable {
  private readonly changeEmitter = new Emitter<string[]>();
  readonly onDidChange: Event<string[]> = this.changeEmitter.event;
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly watcher: FSWatcher,
    private readonly debounceMs: number,
  ) {
    for (const eventName of ['add', 'change', 'unlink'] as const) {
      watcher.on(eventName, (changed: string) => this.record(changed));
    }
  }

  /** Starts watching; resolves once the initial scan is done, so no later change is missed. */
  static async start(paths: string[], options: ChangeWatcherOptions = {}): Promise<ChangeWatcher> {
    const ignoredRoots = (options.ignoredPaths ?? []).map((p) => path.resolve(p));
    const watcher = watch(paths.map((p) => path.resolve(p)), {
      ignoreInitial: true,
      ignored: (candidate: string) =>
        IGNORED_DIRECTORY.test(candidate) ||
        ignoredRoots.some((root) => candidate === root || candidate.startsWith(root + path.sep)),
    });
    await new Promise<void>((resolve, reject) => {
      watcher.once('ready', resolve);
      watcher.once('error', reject);
    });
    return new ChangeWatcher(watcher, options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  }

  private record(changed: string): void {
    this.pending.add(path.resolve(changed));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.debounceMs);
  }

  private flush(): void {
    const batch = [...this.pending];
    this.pending = new Set();
    this.changeEmitter.fire(batch);
  }

  async dispose(): Promise<void> {
    clearTimeout(this.timer);
    this.changeEmitter.dispose();
    await this.watcher.close();
  }
}
