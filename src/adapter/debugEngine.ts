// The engine side of one debug session: its function on a LambdaService (the host's shared one or its own), its debug port, and hot reload.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DisposableStore, toDisposable } from '../core/common/disposable';
import { errorMessage } from '../core/common/errors';
import { reserveInternalPort } from '../core/api/internalPorts';
import type { ExitInfo } from '../core/instances/backend';
import { createBackend } from '../core/instances/backendFactory';
import { exitError } from '../core/instances/platformErrors';
import type { LogRecord } from '../core/logs/logRecord';
import type { InvokeResult } from '../core/service/invocation';
import { LambdaService, type DebugOptions } from '../core/service/lambdaService';
import { HotReloader, type ReloadOutcome } from '../core/watch/hotReloader';
import type { LambdaLaunchArguments } from '../shared/launchConfig';
import { attachTarget, type AttachTarget } from './attachTarget';
import { launchBackendSettings } from './backendChoice';
import { resolveDebugTarget, type DebugTarget } from './debugTarget';
import { waitForDebugPort } from './debugPortReady';
import { sharedServiceFor, type SharedServiceProvider } from './sharedService';

export interface DebugEngineListeners {
  /** A new instance of the function started with its inspector or debugpy listening. */
  onAttach(target: AttachTarget): void;
  onAttachFailed(message: string): void;
  onReload(outcome: ReloadOutcome): void;
  /** Every log line of the debugged function, init lines (before any invocation) included, as it is produced. */
  onLog(record: LogRecord): void;
  /** Something the user should know that ends nothing by itself (e.g. the shared service could not be rejoined). */
  onWarning(message: string): void;
}

/** How long a new instance may take to open its debug port. */
const DEBUG_PORT_LIMIT_MS = 30_000;

export class DebugEngine {
  private readonly disposables = new DisposableStore();
  /** Subscriptions to the current service and its debug mode, ended when the session ends or the service is replaced. */
  private binding: DisposableStore | undefined;
  private service!: LambdaService;
  private disposed: Promise<void> | undefined;
  private instanceGeneration = 0;

  private constructor(
    private readonly target: DebugTarget,
    private readonly debug: DebugOptions,
    private readonly listeners: DebugEngineListeners,
    /** Compiled output outside the instance's code directory (the own service's build folder). */
    private readonly buildDirs: string[],
  ) {}

  get functionName(): string {
    return this.target.spec.functionName;
  }

  /**
   * Builds nothing yet: the first invocation starts (and builds) the function. With a `shared` provider that declares
   * the function, the session runs on that service (the host's view shows its environments), else on its own.
   * Cleans up after itself if any step fails.
   */
  static async start(args: LambdaLaunchArguments, listeners: DebugEngineListeners, shared?: SharedServiceProvider): Promise<DebugEngine> {
    const target = await resolveDebugTarget(args);
    const port = await reserveInternalPort();
    const debug: DebugOptions = {
      port: port.port,
      breakOnStart: args.stopOnEntry ?? false,
      ...(args.timeout !== undefined ? { timeoutSeconds: args.timeout } : {}),
    };
    try {
      const sharedService = shared && (await sharedServiceFor(shared, target, args));
      const engine = sharedService && shared
        ? await DebugEngine.onShared(shared, sharedService, target, args, debug, listeners)
        : await DebugEngine.onOwn(target, args, debug, listeners, shared);
      engine.disposables.add(toDisposable(() => port.release()));
      return engine;
    } catch (error) {
      port.release();
      throw error;
    }
  }

  /** On the host's service: launch `env`, `backend` and `image` apply to this function's debug environments only. */
  private static async onShared(
    shared: SharedServiceProvider,
    service: LambdaService,
    target: DebugTarget,
    args: LambdaLaunchArguments,
    debug: DebugOptions,
    listeners: DebugEngineListeners,
  ): Promise<DebugEngine> {
    if (args.env) debug.environment = args.env;
    const engine = new DebugEngine(target, debug, listeners, []);
    try {
      if (args.backend !== undefined || args.image !== undefined) {
        const backend = createBackend(launchBackendSettings(args, target.spec));
        debug.backend = backend;
        engine.disposables.add(toDisposable(() => backend.dispose()));
      }
      await engine.bind(service);
      engine.disposables.add(shared.onDidReplace(() => void engine.rejoin(shared)));
      // The host replaces its service when the template changes: only the code is watched here.
      if (args.hotReload ?? true) await engine.watch(target.spec.packageType === 'Zip' ? [target.spec.codeDir] : []);
    } catch (error) {
      await engine.dispose();
      throw error;
    }
    return engine;
  }

  /** On a service of the session's own (standalone adapter, or a function the host does not declare). */
  private static async onOwn(
    target: DebugTarget,
    args: LambdaLaunchArguments,
    debug: DebugOptions,
    listeners: DebugEngineListeners,
    shared: SharedServiceProvider | undefined,
  ): Promise<DebugEngine> {
    const stateDir = await mkdtemp(path.join(tmpdir(), 'lambda-workbench-debug-'));
    const service = new LambdaService(target.registry, {
      backend: createBackend(launchBackendSettings(args, target.spec)),
      stateDir,
      ...(shared ? { logSink: shared.logSink } : {}),
      ...(args.env ? { environmentOverrides: { [target.spec.logicalId]: args.env } } : {}),
    });
    const engine = new DebugEngine(target, debug, listeners, [stateDir]);
    engine.disposables.add(toDisposable(() => rm(stateDir, { recursive: true, force: true })));
    engine.disposables.add(toDisposable(() => service.dispose()));
    // What the host's service says in its log (a shared session reads it there), this one says in the debug console:
    // the template's warnings at once, the service's (an interpreter that is not the runtime's version) when they arise.
    for (const warning of target.registry.warnings) listeners.onWarning(`Warning: ${warning}`);
    engine.disposables.add(service.onDidWarn((message) => listeners.onWarning(`Warning: ${message}`)));
    try {
      await engine.bind(service);
      if (args.hotReload ?? true) await engine.watch(target.watchPaths, [stateDir]);
    } catch (error) {
      await engine.dispose();
      throw error;
    }
    return engine;
  }

  /** Puts the function in debug mode on `service` and follows its instances and log lines. */
  private async bind(service: LambdaService): Promise<void> {
    const binding = new DisposableStore();
    this.binding = binding;
    this.service = service;
    binding.add(
      service.logs.add({
        write: (record) => {
          if (record.functionName === this.functionName) this.listeners.onLog(record);
        },
      }),
    );
    await service.setDebug(this.functionName, this.debug);
    // Leaving debug mode stops exactly this session's environments (a function is debugged by one session at a time).
    binding.add(toDisposable(() => service.setDebug(this.functionName, undefined).catch(() => undefined)));
    binding.add(
      service.onDidStartInstance(({ info, exited }) => {
        if (info.functionName !== this.functionName) return;
        void this.announce(
          attachTarget({
            instanceId: info.instanceId,
            port: info.debugPort ?? this.debug.port,
            runtime: this.target.spec.runtime,
            backend: info.backend,
            codeDir: info.codeDir,
            buildDirs: this.buildDirs,
          }),
          exited,
        );
      }),
    );
  }

  /** The host replaced its service (the old one and its environments are gone): debug the function on the new one. */
  private async rejoin(shared: SharedServiceProvider): Promise<void> {
    if (this.disposed) return;
    const previous = this.binding;
    this.binding = undefined;
    await previous?.dispose();
    try {
      const service = await shared.get();
      if (this.disposed) return;
      if (!service.registry.get(this.target.spec.logicalId)) {
        throw new Error(`${this.target.spec.logicalId} is no longer declared in ${this.target.spec.templatePath ?? 'the template'}`);
      }
      await this.bind(service);
    } catch (error) {
      this.listeners.onWarning(`The workspace's Lambda service changed and ${this.functionName} could not be debugged on the new one: ${errorMessage(error)}`);
    }
  }

  private async watch(watchPaths: string[], ignoredPaths: string[] = []): Promise<void> {
    if (watchPaths.length === 0) return;
    const reloader = await HotReloader.start(
      { reload: (functionName) => this.service.reload(functionName) },
      { functionName: this.functionName, watchPaths, ignoredPaths },
    );
    this.disposables.add(reloader);
    this.disposables.add(reloader.onDidReload((outcome) => this.listeners.onReload(outcome)));
  }

  /**
   * Sends the attach target once its debug port listens. A newer instance or the end of the session cancels it; a runtime
   * that ends first (its debugger could not listen, NODE_OPTIONS it refused) is said at once, not after the limit.
   */
  private async announce(target: AttachTarget, exited: Promise<ExitInfo>): Promise<void> {
    const generation = ++this.instanceGeneration;
    const superseded = (): boolean => this.disposed !== undefined || generation !== this.instanceGeneration;
    let ended: ExitInfo | undefined;
    void exited.then((exit) => (ended = exit));
    const started = Date.now();
    const ready = await waitForDebugPort(target.runtime, target.port, () => superseded() || ended !== undefined || Date.now() - started > DEBUG_PORT_LIMIT_MS);
    if (superseded()) return;
    if (ready) {
      this.listeners.onAttach(target);
    } else if (ended) {
      this.listeners.onAttachFailed(`The runtime of ${target.instanceId} ended before its debugger port (127.0.0.1:${target.port}) opened: ${exitError(undefined, ended).errorMessage}. Its output above says why.`);
    } else {
      this.listeners.onAttachFailed(`The debugger port of ${target.instanceId} (127.0.0.1:${target.port}) did not open within ${DEBUG_PORT_LIMIT_MS / 1000} s.`);
    }
  }

  /** The invocation's log lines reach `onLog` of the listeners, like every other line of the function, and `onInvocationLog`. */
  invoke(payload: Buffer, onInvocationLog?: (record: LogRecord) => void): Promise<InvokeResult> {
    return this.service.invoke({ functionName: this.functionName, payload, ...(onInvocationLog ? { onLog: onInvocationLog } : {}) });
  }

  /** While the language debugger is paused, the Lambda clock of the busy invocation stands still. */
  setDeadlinePaused(paused: boolean): void {
    this.service.setDeadlinePaused(this.functionName, paused);
  }

  /** Stops watching, ends debug mode (stopping the session's instances) and, on its own service, the service and its state. */
  dispose(): Promise<void> {
    this.disposed ??= (async () => {
      const binding = this.binding;
      this.binding = undefined;
      await binding?.dispose();
      await this.disposables.dispose();
    })();
    return this.disposed;
  }
}
