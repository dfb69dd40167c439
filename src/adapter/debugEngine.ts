// The engine side of one debug session: a LambdaService for the debugged function, its debug port, and hot reload.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DisposableStore, toDisposable } from '../core/common/disposable';
import { freeLoopbackPort } from '../core/common/loopbackPort';
import { createBackend } from '../core/instances/backendFactory';
import type { LogRecord } from '../core/logs/logRecord';
import type { InvokeResult } from '../core/service/invocation';
import { LambdaService } from '../core/service/lambdaService';
import { HotReloader, type ReloadOutcome } from '../core/watch/hotReloader';
import type { LambdaLaunchArguments } from '../shared/launchConfig';
import { attachTarget, type AttachTarget } from './attachTarget';
import { launchBackendSettings } from './backendChoice';
import { resolveDebugTarget } from './debugTarget';
import { waitForDebugPort } from './debugPortReady';

export interface DebugEngineListeners {
  /** A new instance of the function started with its inspector or debugpy listening. */
  onAttach(target: AttachTarget): void;
  onAttachFailed(message: string): void;
  onReload(outcome: ReloadOutcome): void;
  /** Every log line of the debugged function, init lines (before any invocation) included, as it is produced. */
  onLog(record: LogRecord): void;
}

/** How long a new instance may take to open its debug port. */
const DEBUG_PORT_LIMIT_MS = 30_000;

export class DebugEngine {
  private readonly disposables = new DisposableStore();
  private disposed: Promise<void> | undefined;
  private instanceGeneration = 0;

  private constructor(
    private readonly service: LambdaService,
    readonly functionName: string,
  ) {}

  /** Builds nothing yet: the first invocation starts (and builds) the function. Cleans up after itself if any step fails. */
  static async start(args: LambdaLaunchArguments, listeners: DebugEngineListeners): Promise<DebugEngine> {
    const target = await resolveDebugTarget(args);
    const backend = createBackend(launchBackendSettings(args, target.spec));
    const stateDir = await mkdtemp(path.join(tmpdir(), 'lambda-workbench-debug-'));
    const service = new LambdaService(target.registry, {
      backend,
      stateDir,
      ...(args.env ? { environmentOverrides: { [target.spec.logicalId]: args.env } } : {}),
    });
    const engine = new DebugEngine(service, target.spec.functionName);
    engine.disposables.add(toDisposable(() => rm(stateDir, { recursive: true, force: true })));
    engine.disposables.add(toDisposable(() => service.dispose()));
    engine.disposables.add(
      service.logs.add({
        write: (record) => {
          if (record.functionName === engine.functionName) listeners.onLog(record);
        },
      }),
    );
    try {
      const port = await freeLoopbackPort();
      await service.setDebug(engine.functionName, {
        port,
        breakOnStart: args.stopOnEntry ?? false,
        ...(args.timeout !== undefined ? { timeoutSeconds: args.timeout } : {}),
      });
      engine.disposables.add(
        service.onDidStartInstance((info) => {
          if (info.functionName !== engine.functionName) return;
          void engine.announce(
            attachTarget({
              instanceId: info.instanceId,
              port: info.debugPort ?? port,
              runtime: target.spec.runtime,
              backend: info.backend,
              codeDir: info.codeDir,
              buildDirs: [stateDir],
            }),
            listeners,
          );
        }),
      );
      if (args.hotReload ?? true) {
        const reloader = await HotReloader.start(service, {
          functionName: engine.functionName,
          watchPaths: target.watchPaths,
          ignoredPaths: [stateDir],
        });
        engine.disposables.add(reloader);
        engine.disposables.add(reloader.onDidReload((outcome) => listeners.onReload(outcome)));
      }
    } catch (error) {
      await engine.dispose();
      throw error;
    }
    return engine;
  }

  /** Sends the attach target once its debug port listens; a newer instance or the end of the session cancels it. */
  private async announce(target: AttachTarget, listeners: DebugEngineListeners): Promise<void> {
    const generation = ++this.instanceGeneration;
    const superseded = (): boolean => this.disposed !== undefined || generation !== this.instanceGeneration;
    const started = Date.now();
    const ready = await waitForDebugPort(target.runtime, target.port, () => superseded() || Date.now() - started > DEBUG_PORT_LIMIT_MS);
    if (superseded()) return;
    if (ready) {
      listeners.onAttach(target);
    } else {
      listeners.onAttachFailed(`The debugger port of ${target.instanceId} (127.0.0.1:${target.port}) did not open within ${DEBUG_PORT_LIMIT_MS / 1000} s.`);
    }
  }

  /** The invocation's log lines reach `onLog` of the listeners, like every other line of the function. */
  invoke(payload: Buffer): Promise<InvokeResult> {
    return this.service.invoke({ functionName: this.functionName, payload });
  }

  /** While the language debugger is paused, the Lambda clock of the busy invocation stands still. */
  setDeadlinePaused(paused: boolean): void {
    this.service.setDeadlinePaused(this.functionName, paused);
  }

  /** Stops watching, stops every instance and removes the session's state. Safe to call more than once. */
  dispose(): Promise<void> {
    this.disposed ??= this.disposables.dispose();
    return this.disposed;
  }
}
