// One execution environment: its Runtime API server, its runtime (process or container), init, invocations and timeouts.
import { rm } from 'node:fs/promises';
import { errorMessage } from '../common/errors';
import { Emitter } from '../common/events';
import type { LogRecord } from '../logs/logRecord';
import { PlatformLines } from '../logs/platformLines';
import { RuntimeApiServer, type InvocationOutcome } from '../runtimeApi/runtimeApiServer';
import type { FunctionSpec } from '../template/functionSpec';
import type { Backend, BackendKind, ExitInfo, RuntimeHandle } from './backend';
import { InstanceOutput } from './instanceOutput';
import { InvocationClock } from './invocationClock';
import { lambdaEnvironment, type EnvironmentContext } from './lambdaEnvironment';
import type { LocalEndpointSettings } from './localServices';
import { initStartLine } from './runtimeVersion';
import { errorBody, exitError, timeoutError, type PlatformError } from './platformErrors';

/** Lambda gives on-demand init 10 s before it retries init inside the first invoke. */
const INIT_LIMIT_MS = 10_000;
const PROVISIONED_INIT_LIMIT_MS = 130_000;

export type InstanceState = 'starting' | 'idle' | 'busy' | 'frozen' | 'stopped';

export interface InstanceInfo {
  instanceId: string;
  functionName: string;
  version: string;
  state: InstanceState;
  displayId: string;
  startedAt: number;
  invocations: number;
  /** Where the environment runs: a local process or a container. */
  backend: BackendKind;
  debugPort?: number;
  /** The code the runtime runs, on the host (the build output for built functions): a debugger's localRoot. */
  codeDir: string;
}

/** A runtime just launched in an environment: the environment as it is then, and the runtime's end. */
export interface LaunchedRuntime {
  info: InstanceInfo;
  exited: Promise<ExitInfo>;
}

export interface InstanceConfig {
  instanceId: string;
  spec: FunctionSpec;
  version: string;
  backend: Backend;
  codeDir: string;
  layerDirs: string[];
  tmpDir: string;
  region: string;
  accountId: string;
  initializationType: 'on-demand' | 'provisioned-concurrency';
  environmentOverrides?: Record<string, string>;
  logFormat?: 'Text' | 'JSON';
  /** The AWS SDK packages the code imports but does not bundle (LaunchRequest.sdkModulesDir). */
  sdkModulesDir?: string;
  /** The local AWS endpoint for the function's SDK calls (EnvironmentContext.localEndpoint). */
  localEndpoint?: LocalEndpointSettings;
  credentials?: EnvironmentContext['credentials'];
  debug?: { port: number; breakOnStart: boolean };
  /** Every log line of this environment, as it is produced. */
  onLog(record: LogRecord): void;
  /** Called each time a runtime has been launched (its debug port, if any, opens soon after), with its end. */
  onLaunched?(launched: LaunchedRuntime): void;
  /** The environment runs, but not as on Lambda (an interpreter of another version): said before its INIT_START. */
  onWarning?(message: string): void;
}

export interface InstanceInvocation {
  requestId: string;
  payload: Buffer;
  invokedFunctionArn: string;
  traceId?: string;
  clientContext?: string;
  cognitoIdentity?: string;
  tenantId?: string;
  /** Effective timeout; the function's Timeout unless overridden (debugging). */
  timeoutSeconds: number;
  onLog?(record: LogRecord): void;
  onResponseChunk?(chunk: Buffer): void;
}

export interface InstanceResult {
  payload: Buffer;
  contentType?: string;
  /** Set when the invocation failed (function error, timeout, crash). */
  errorType?: string;
  durationMs: number;
  maxMemoryUsedMB: number;
  initDurationMs?: number;
}

type InitFailure = PlatformError & { payload: Buffer; maxMemoryUsedMB?: number };

export class Instance {
  readonly info: InstanceInfo;
  private readonly lines: PlatformLines;
  private handle?: RuntimeHandle;
  private api?: RuntimeApiServer;
  private readonly output: InstanceOutput;
  /** Init duration still to be reported on the first REPORT of this environment. */
  private pendingInitDurationMs?: number;
  private initFailure?: InitFailure;
  private readonly clock = new InvocationClock();
  /** What the current invocation does if the runtime ends under it (one listener, not one per invocation). */
  private onRuntimeExit?: (exit: ExitInfo) => void;
  private readonly stateEmitter = new Emitter<InstanceState>();
  readonly onDidChangeState = this.stateEmitter.event;

  constructor(private readonly config: InstanceConfig) {
    this.lines = new PlatformLines(config.logFormat ?? config.spec.logging.format);
    this.output = new InstanceOutput(config.spec.functionName, config.instanceId, config.onLog);
    this.info = {
      instanceId: config.instanceId,
      functionName: config.spec.functionName,
      version: config.version,
      state: 'starting',
      displayId: '',
      startedAt: Date.now(),
      invocations: 0,
      backend: config.backend.kindFor(config.spec),
      debugPort: config.debug?.port,
      codeDir: config.codeDir,
    };
  }

  get state(): InstanceState {
    return this.info.state;
  }

  /** The last init failed; the next invocation retries it (suppressed init). */
  get initFailed(): boolean {
    return this.initFailure !== undefined;
  }

  /** Starts the runtime and runs its init phase (phase "init"). A failed init is kept and retried by the first invoke. */
  async start(): Promise<void> {
    const failure = await this.runInit(this.initLimitMs(), 'init');
    if (this.info.state === 'stopped') return;
    this.initFailure = failure;
    this.setState('idle');
  }

  async invoke(invocation: InstanceInvocation): Promise<InstanceResult> {
    if (this.info.state === 'frozen') await this.thaw();
    this.setState('busy');
    this.info.invocations++;
    const startedAt = performance.now();
    const timeoutMs = invocation.timeoutSeconds * 1000;

    if (!this.handle && !this.initFailure) {
      // The environment was reset (timeout, crash): a new runtime initialises, /tmp is kept.
      this.initFailure = await this.runInit(this.initLimitMs(), 'init');
    }
    if (this.initFailure) {
      // Suppressed init: Lambda runs init again inside the first invoke, within the function timeout.
      const failure = await this.runInit(timeoutMs, 'invoke');
      this.initFailure = failure;
      if (failure) {
        return this.failWithoutRuntime(invocation, startedAt, failure);
      }
    }

    const api = this.requireApi();
    const handle = this.requireHandle();
    const outcome = await new Promise<InvocationOutcome | { kind: 'platform'; error: PlatformError; status: 'error' | 'timeout' }>(
      (resolve) => {
        // The event first (a waiting runtime gets it now), then the engine's own bookkeeping while the runtime works: no
        // line of the runtime can be read before this synchronous code ends, so START still comes before the handler's.
        api
          .invoke(
            {
              requestId: invocation.requestId,
              payload: invocation.payload,
              deadlineMs: Date.now() + timeoutMs,
              invokedFunctionArn: invocation.invokedFunctionArn,
              traceId: invocation.traceId,
              clientContext: invocation.clientContext,
              cognitoIdentity: invocation.cognitoIdentity,
              tenantId: invocation.tenantId,
            },
            invocation.onResponseChunk ? { onChunk: invocation.onResponseChunk } : undefined,
          )
          .then(resolve, (error: unknown) =>
            resolve({ kind: 'platform', error: { errorType: 'Runtime.Unknown', errorMessage: errorMessage(error) }, status: 'error' }),
          );
        this.output.begin({ requestId: invocation.requestId, onLog: invocation.onLog });
        this.emitPlatform(this.lines.start(invocation.requestId, this.config.version), invocation);
        this.clock.start(timeoutMs, () => {
          api.abandon(invocation.requestId);
          resolve({ kind: 'platform', error: timeoutError(invocation.requestId, invocation.timeoutSeconds), status: 'timeout' });
        });
        this.onRuntimeExit = (exit) => {
          api.abandon(invocation.requestId);
          resolve({ kind: 'platform', error: exitError(invocation.requestId, this.withHeapExhaustion(exit)), status: 'error' });
        };
      },
    );
    this.onRuntimeExit = undefined;
    this.clock.stop();

    let result: InstanceResult;
    if (outcome.kind === 'platform') {
      // The environment is reset: the runtime is ended and the next invoke starts a new one (its /tmp survives).
      const maxMemoryUsedMB = await handle.maxMemoryUsedMB();
      await this.stopRuntime();
      if (outcome.status === 'timeout') {
        this.emitPlatform(`${new Date().toISOString()} ${invocation.requestId} Task timed out after ${invocation.timeoutSeconds.toFixed(2)} seconds`, invocation);
      }
      result = this.finish(invocation, startedAt, maxMemoryUsedMB, errorBody(outcome.error), outcome.error.errorType, outcome.status);
    } else {
      // A quiet result of our runtime: every line it wrote was read before its last markers.
      if (outcome.quiet !== true || handle.writesFlushMarkers !== true) await this.waitForFlush();
      // Our runtime clients on the runtime channel send their peak memory with the result: no /proc reading then.
      const peakKB = handle.channelPeakMemory === true ? api.resultPeakMemoryKB : undefined;
      const maxMemoryUsedMB = peakKB === undefined ? await handle.maxMemoryUsedMB() : Math.ceil(peakKB / 1024);
      result = this.finish(
        invocation,
        startedAt,
        maxMemoryUsedMB,
        outcome.payload,
        outcome.kind === 'error' ? outcome.errorType : undefined,
        undefined,
        outcome.kind === 'response' ? outcome.contentType : 'application/json',
      );
    }
    this.output.end();
    if (this.info.state === 'busy') this.setState('idle');
    return result;
  }

  /** On-demand init has 10 s; provisioned init has 130 s or the function timeout, whichever is higher. */
  private initLimitMs(): number {
    return this.config.initializationType === 'provisioned-concurrency'
      ? Math.max(PROVISIONED_INIT_LIMIT_MS, this.config.spec.timeoutSeconds * 1000)
      : INIT_LIMIT_MS;
  }

  /** Debugging: stop the Lambda clock while the program is paused in the debugger. */
  pauseDeadline(): void {
    this.clock.pause();
  }

  resumeDeadline(): void {
    this.clock.resume();
  }

  async freeze(): Promise<void> {
    if (this.info.state !== 'idle' || !this.handle) return;
    this.setState('frozen');
    await this.handle.freeze();
  }

  async thaw(): Promise<void> {
    if (this.info.state !== 'frozen' || !this.handle) return;
    await this.handle.thaw();
    this.setState('idle');
  }

  async stop(): Promise<void> {
    this.setState('stopped');
    this.clock.dispose();
    await this.stopRuntime();
    this.stateEmitter.dispose();
    await rm(this.config.tmpDir, { recursive: true, force: true });
  }

  /** Launches the runtime and waits for its first /next (init done), an init error, its exit, or the limit. */
  private async runInit(limitMs: number, phase: 'init' | 'invoke'): Promise<InitFailure | undefined> {
    // Each runtime gets a fresh Runtime API server: a runtime that failed leaves its server in a final state.
    const api = await RuntimeApiServer.start();
    this.api = api;
    const startedAt = performance.now();
    this.output.resetRuntime();
    type InitOutcome = { kind: 'ready' } | { kind: 'failed'; failure: InitFailure; status: 'error' | 'timeout' };
    // Listen before launching: a fast runtime may finish (or fail) init before launch() returns.
    let settle: (outcome: InitOutcome) => void = () => undefined;
    const settled = new Promise<InitOutcome>((resolve) => (settle = resolve));
    const subscriptions = [
      api.onNext(() => settle({ kind: 'ready' })),
      api.onInitError((error) =>
        settle({ kind: 'failed', failure: { ...parseError(error.payload, error.errorType), payload: error.payload }, status: 'error' }),
      ),
    ];
    const runtime = await this.config.backend.runtimeVersion(this.config.spec);
    if (runtime.warning) this.config.onWarning?.(runtime.warning);
    if (phase === 'init' && (this.config.logFormat ?? this.config.spec.logging.format) === 'Text') {
      this.emitPlatform(initStartLine(runtime, this.config.region));
    }
    let handle: RuntimeHandle;
    try {
      handle = await this.config.backend.launch({
        instanceId: this.config.instanceId,
        spec: this.config.spec,
        codeDir: this.config.codeDir,
        layerDirs: this.config.layerDirs,
        tmpDir: this.config.tmpDir,
        runtimeApiHostPort: api.hostPort,
        ...(this.config.sdkModulesDir ? { sdkModulesDir: this.config.sdkModulesDir } : {}),
        environment: lambdaEnvironment(this.config.spec, {
          region: this.config.region,
          accountId: this.config.accountId,
          version: this.config.version,
          runtimeApiHostPort: api.hostPort,
          initializationType: this.config.initializationType,
          taskRoot: this.config.codeDir,
          runtimeDir: this.config.codeDir,
          overrides: this.config.environmentOverrides,
          logFormat: this.config.logFormat,
          ...(this.config.localEndpoint ? { localEndpoint: this.config.localEndpoint } : {}),
          ...(this.config.credentials ? { credentials: this.config.credentials } : {}),
        }),
        debug: this.config.debug,
        onOutput: (stream, line) => this.output.line(stream, line),
      });
    } catch (error) {
      for (const subscription of subscriptions) subscription.dispose();
      this.api = undefined;
      await api.close();
      throw error;
    }
    this.handle = handle;
    if (handle.channel) api.attachChannel(handle.channel);
    this.info.displayId = handle.displayId;
    this.config.onLaunched?.({ info: { ...this.info }, exited: handle.exited });
    // A runtime that ends between invocations (a crash after its response) leaves the environment to be reset.
    void handle.exited.then((exit) => {
      if (this.handle === handle) this.onRuntimeExit?.(exit);
      if (this.handle === handle && !this.output.invoking) this.handle = undefined;
      const error = exitError(undefined, this.withHeapExhaustion(exit));
      settle({ kind: 'failed', failure: { ...error, payload: errorBody(error) }, status: 'error' });
    });
    // Debugging sessions may sit at a breakpoint in init code: no init limit then.
    const timer = this.config.debug
      ? undefined
      : setTimeout(() => {
          const error = { errorType: 'Sandbox.Timedout', errorMessage: `Init timed out after ${(limitMs / 1000).toFixed(2)} seconds` };
          settle({ kind: 'failed', failure: { ...error, payload: errorBody(error) }, status: 'timeout' });
        }, limitMs);
    const outcome = await settled;
    clearTimeout(timer);
    for (const subscription of subscriptions) subscription.dispose();

    const durationMs = performance.now() - startedAt;
    if (outcome.kind === 'ready') {
      // A first reading while the runtime lives: a runtime that exits before the next sample still reports its memory.
      void handle.maxMemoryUsedMB().catch(() => undefined);
      // Provisioned environments initialise ahead of invocations: their REPORT lines carry no Init Duration.
      if (this.config.initializationType === 'on-demand') this.pendingInitDurationMs = durationMs;
      return undefined;
    }
    const maxMemoryUsedMB = await handle.maxMemoryUsedMB();
    await this.stopRuntime();
    this.emitPlatform(this.lines.initReport(durationMs, phase, outcome.status, outcome.failure.errorType));
    return { ...outcome.failure, maxMemoryUsedMB };
  }

  private failWithoutRuntime(invocation: InstanceInvocation, startedAt: number, failure: InitFailure): InstanceResult {
    this.emitPlatform(this.lines.start(invocation.requestId, this.config.version), invocation);
    const result = this.finish(invocation, startedAt, failure.maxMemoryUsedMB ?? 0, failure.payload, failure.errorType, 'error');
    this.setState('stopped');
    return result;
  }

  private finish(
    invocation: InstanceInvocation,
    startedAt: number,
    measuredMemoryMB: number,
    payload: Buffer,
    errorType: string | undefined,
    platformStatus: 'error' | 'timeout' | undefined,
    contentType?: string,
  ): InstanceResult {
    const durationMs = performance.now() - startedAt;
    const initDurationMs = this.pendingInitDurationMs;
    this.pendingInitDurationMs = undefined;
    // A sampled peak can pass the limit just before the out-of-memory kill; Lambda never reports more than Memory Size.
    const maxMemoryUsedMB = Math.min(measuredMemoryMB, this.config.spec.memorySizeMB);
    this.emitPlatform(this.lines.end(invocation.requestId, platformStatus ?? (errorType ? 'error' : 'success'), errorType), invocation);
    this.emitPlatform(
      this.lines.report(invocation.requestId, {
        durationMs,
        memorySizeMB: this.config.spec.memorySizeMB,
        maxMemoryUsedMB,
        initDurationMs,
        ...(platformStatus ? { status: platformStatus, errorType } : {}),
      }),
      invocation,
    );
    return { payload, contentType, errorType, durationMs, maxMemoryUsedMB, initDurationMs };
  }

  private emitPlatform(text: string, invocation?: InstanceInvocation): void {
    this.output.platform(text, invocation);
  }

  /** Waits for the handler's last lines (see InstanceOutput.waitForFlush); a runtime exit ends the wait. */
  private async waitForFlush(): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    const flush = this.output.waitForFlush(handle.writesFlushMarkers === true);
    this.onRuntimeExit = flush.stopWaiting;
    await flush.done;
    this.onRuntimeExit = undefined;
  }

  private withHeapExhaustion(exit: ExitInfo): ExitInfo {
    return this.output.heapExhausted ? { ...exit, outOfMemory: true } : exit;
  }

  private async stopRuntime(): Promise<void> {
    const handle = this.handle;
    const api = this.api;
    this.handle = undefined;
    this.api = undefined;
    if (handle) await handle.stop();
    await api?.close();
  }

  private requireApi(): RuntimeApiServer {
    if (!this.api) throw new Error(`Instance ${this.config.instanceId} is not started`);
    return this.api;
  }

  private requireHandle(): RuntimeHandle {
    if (!this.handle) throw new Error(`Instance ${this.config.instanceId} has no runtime`);
    return this.handle;
  }

  private setState(state: InstanceState): void {
    if (this.info.state === state || this.info.state === 'stopped') return;
    this.info.state = state;
    this.stateEmitter.fire(state);
  }
}

/** Parses a runtime's error body for its errorType/errorMessage (falling back to the header's type). */
function parseError(payload: Buffer, headerType: string): PlatformError {
  try {
    const body = JSON.parse(payload.toString('utf8')) as { errorType?: unknown; errorMessage?: unknown };
    return {
      errorType: typeof body.errorType === 'string' ? body.errorType : headerType,
      errorMessage: typeof body.errorMessage === 'string' ? body.errorMessage : '',
    };
  } catch {
    return { errorType: headerType, errorMessage: payload.toString('utf8') };
  }
}
