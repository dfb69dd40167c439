// Hot reload: rebuilds and reloads a function whenever its watched code or template changes (engine side, no vscode).
import { ChangeWatcher, type ChangeWatcherOptions } from './changeWatcher';
import { errorMessage } from '../common/errors';
import { Emitter, type Event } from '../common/events';
import type { Disposable } from '../common/disposable';
import type { FunctionSpec } from '../template/functionSpec';

/** What a reload did besides building: invocations still running on the previous code (they finish on it). */
export interface ReloadResult {
  inFlight: number;
}

/** The part of the service hot reload needs: rebuild a function and replace its environments for the next invocation. */
export interface ReloadTarget {
  reload(functionName: string): Promise<ReloadResult>;
}

export type ReloadOutcome =
  | { ok: true; functionName: string; changedPaths: string[]; durationMs: number; inFlight: number }
  | { ok: false; functionName: string; changedPaths: string[]; durationMs: number; error: unknown };

export interface HotReloadOptions extends ChangeWatcherOptions {
  functionName: string;
  /** The function's code directory and its template (if any). */
  watchPaths: string[];
}

/**
 * Reloads one function on change. Reloads never overlap: changes that arrive during a reload are
 * collected and trigger exactly one more reload when it ends.
 */
export class HotReloader implements Disposable {
  private readonly reloadEmitter = new Emitter<ReloadOutcome>();
  /** Fires after every reload attempt; a failed build keeps the old instances serving. */
  readonly onDidReload: Event<ReloadOutcome> = this.reloadEmitter.event;
  private running: Promise<void> | undefined;
  private queued: string[] = [];

  private constructor(
    private readonly target: ReloadTarget,
    private readonly functionName: string,
    private readonly watcher: ChangeWatcher,
  ) {
    watcher.onDidChange((paths) => this.schedule(paths));
  }

  static async start(target: ReloadTarget, options: HotReloadOptions): Promise<HotReloader> {
    const watcher = await ChangeWatcher.start(options.watchPaths, options);
    return new HotReloader(target, options.functionName, watcher);
  }

  private schedule(paths: string[]): void {
    this.queued.push(...paths);
    this.running ??= this.drain();
  }

  private async drain(): Promise<void> {
    while (this.queued.length > 0) {
      const changedPaths = [...new Set(this.queued.splice(0))];
      const started = Date.now();
      try {
        const { inFlight } = await this.target.reload(this.functionName);
        this.reloadEmitter.fire({ ok: true, functionName: this.functionName, changedPaths, durationMs: Date.now() - started, inFlight });
      } catch (error) {
        this.reloadEmitter.fire({ ok: false, functionName: this.functionName, changedPaths, durationMs: Date.now() - started, error });
      }
    }
    this.running = undefined;
  }

  /** Stops watching and waits for a reload in progress. */
  async dispose(): Promise<void> {
    await this.watcher.dispose();
    this.queued = [];
    await this.running;
    this.reloadEmitter.dispose();
  }
}

/** What hot reload watches for a function: its code directory and its template (an image function: the template only). */
export function reloadWatchPaths(spec: FunctionSpec, templatePath: string | undefined): string[] {
  const paths = spec.packageType === 'Zip' ? [spec.codeDir] : [];
  if (templatePath !== undefined) paths.push(templatePath);
  return paths;
}

/** One line for people: what was reloaded, how long it took and when it applies, or why the previous code keeps serving. */
export function describeReload(outcome: ReloadOutcome): string {
  const changed = outcome.changedPaths.length === 1 ? outcome.changedPaths[0] : `${outcome.changedPaths.length} files`;
  if (!outcome.ok) return `Reload of ${outcome.functionName} failed; the previous code keeps serving: ${errorMessage(outcome.error)}`;
  const running = outcome.inFlight === 0 ? '' : outcome.inFlight === 1 ? ' (the running invocation finishes on the previous code)' : ` (the ${outcome.inFlight} running invocations finish on the previous code)`;
  return `Reloaded ${outcome.functionName} in ${outcome.durationMs} ms (${changed} changed); applies to the next invocation${running}.`;
}
