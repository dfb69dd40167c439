// The emulated Lambda service: every front end invokes through here (qualifier, concurrency, warm pool, logs, async queue).
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { FunctionBuilder, type BuildResult } from '../build/functionBuilder';
import { WorkbenchError, isWorkbenchError } from '../common/errors';
import { Emitter, type Event } from '../common/events';
import type { Backend } from '../instances/backend';
import type { RunBlocker } from '../instances/runtimeSupport';
import { Instance, type InstanceInfo, type InstanceResult, type LaunchedRuntime } from '../instances/instance';
import { LogFanout, type LogRecord, type LogSink } from '../logs/logRecord';
import { LogTail } from '../logs/logTail';
import { FunctionStore } from '../functions/functionStore';
import type { FunctionSpec } from '../template/functionSpec';
import type { ReloadResult } from '../watch/hotReloader';
import { AsyncInvoker, type AsyncInvocationInfo, type EventTarget } from './asyncInvoker';
import { AsyncJournal, asyncJournalDir } from './asyncJournal';
import { EnvironmentTmpDirs } from './environmentTmpDirs';
import { LocalQueues } from './eventSources/localQueues';
import { LocalEventBuses } from './eventBridge/localEventBuses';
import { LocalTopics } from './topics/localTopics';
import { AwsSdkModules, defaultSdkCacheDir } from '../build/awsSdkModules';
import type { LocalEndpointSettings } from '../instances/localServices';
import { parseFunctionRef } from './functionRef';
import type { FunctionRegistry } from './functionRegistry';
import { InstancePool } from './instancePool';
import { functionFailedError, ServiceError, type InvokeRequest, type InvokeResult } from './invocation';
import { parseRequestJson } from './validation';

/** Request payload limits of the Invoke API (contract §2.2). */
export const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
export const ASYNC_PAYLOAD_LIMIT = 1024 * 1024;

export interface ServiceOptions {
  backend: Backend;
  /** Where builds and instance /tmp directories go (e.g. <workspace>/.lambda-workbench). */
  stateDir: string;
  logSink?: LogSink;
  region?: string;
  accountId?: string;
  /** A warm instance is frozen after this idle time and stopped after the next one. */
  idleFreezeMs?: number;
  idleStopMs?: number;
  accountConcurrency?: number;
  /** Variables applied over every function's Environment (CLI --env-vars, launch config env). */
  environmentOverrides?: Record<string, Record<string, string>>;
  /** Overrides the functions' LoggingConfig format (CLI --log-format). */
  logFormat?: 'Text' | 'JSON';
  /** Where the AWS SDK packages Node functions import without bundling them are installed once (default: defaultSdkCacheDir()). */
  sdkCacheDir?: string;
  /** Scales async retry delays (1 = Lambda's 1 and 2 minutes); tests and impatient users use less. */
  timeScale?: number;
}

export interface DebugOptions {
  port: number;
  breakOnStart: boolean;
  /** Replaces the function's Timeout while debugging. */
  timeoutSeconds?: number;
  /** Variables added to the function's environment while debugging (a launch configuration's `env`). */
  environment?: Record<string, string>;
  /** Runs the debug environments here instead of on the service's backend (owned and disposed by the debugger). */
  backend?: Backend;
}

export class LambdaService {
  readonly logs = new LogFanout();
  private readonly pool: InstancePool;
  private readonly builder: FunctionBuilder;
  private readonly asyncInvoker: AsyncInvoker;
  private readonly region: string;
  private readonly accountId: string;
  private readonly debug = new Map<string, DebugOptions>();
  private readonly builds = new Map<string, Promise<BuildResult>>();
  private readonly instanceStarted = new Emitter<LaunchedRuntime>();
  /** Versions, aliases, API-made functions and their settings (the Lambda API's control plane). */
  readonly functions: FunctionStore;
  /** The workspace's SQS queues (the template's and the SQS API's), kept in the state directory. */
  readonly queues: LocalQueues;
  /** The workspace's EventBridge buses and rules (the template's and the API's), kept in the state directory. */
  readonly eventBuses: LocalEventBuses;
  /** The workspace's SNS topics and subscriptions (the template's and the SNS API's), kept in the state directory. */
  readonly topics: LocalTopics;
  private loading: Promise<string[]> | undefined;
  /** Each runtime launched in an environment (a reset environment launches another), with the runtime's end. */
  readonly onDidStartInstance = this.instanceStarted.event;
  private readonly warnings = new Emitter<string>();
  /**
   * "<function>: <message>", each said once per function: it runs, but not quite as on Lambda (another interpreter version
   * before its first INIT_START, an esbuild of the project too old to build it).
   */
  readonly onDidWarn = this.warnings.event;
  private readonly warned = new Set<string>();
  readonly onDidChangeInstances;
  private sequence = 0;
  private localEndpoint: LocalEndpointSettings | undefined;
  private readonly sdkModules: AwsSdkModules;
  private readonly serviceEndpoints: Record<string, string> = {};
  private readonly tmpDirs: EnvironmentTmpDirs;

  constructor(
    readonly registry: FunctionRegistry,
    private readonly options: ServiceOptions,
  ) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    if (options.logSink) this.logs.add(options.logSink);
    this.pool = new InstancePool(
      { accountConcurrency: options.accountConcurrency ?? 1000 },
      { freezeMs: options.idleFreezeMs ?? 10_000, stopMs: options.idleStopMs ?? 15 * 60_000 },
    );
    this.onDidChangeInstances = this.pool.onDidChange;
    this.builder = new FunctionBuilder(options.stateDir);
    this.tmpDirs = new EnvironmentTmpDirs(options.stateDir);
    this.sdkModules = new AwsSdkModules(options.sdkCacheDir ?? defaultSdkCacheDir(), (line) => this.warnings.fire(line));
    this.queues = new LocalQueues({ stateDir: options.stateDir, region: this.region, accountId: this.accountId, timeScale: options.timeScale ?? 1 });
    // SNS invokes subscribed functions asynchronously, as Lambda's Event invocations.
    this.topics = new LocalTopics({
      queues: this.queues,
      invokeEvent: async (functionArn, payload) => void (await this.invoke({ functionName: functionArn, payload, invocationType: 'Event' })),
    }, { stateDir: options.stateDir, region: this.region, accountId: this.accountId });
    this.eventBuses = new LocalEventBuses(
      { invoke: (request) => this.invoke(request), queues: this.queues, topics: this.topics, warn: (message) => this.warnings.fire(message) },
      { stateDir: options.stateDir, region: this.region, accountId: this.accountId, timeScale: options.timeScale ?? 1 },
    );
    this.asyncInvoker = new AsyncInvoker(this, AsyncJournal.forThisProcess(asyncJournalDir(options.stateDir)), {
      timeScale: options.timeScale ?? 1,
      region: this.region,
      accountId: this.accountId,
      onJournalProblem: (message) => this.warnings.fire(message),
    });
    this.functions = new FunctionStore(registry, {
      stateDir: options.stateDir,
      region: this.region,
      accountId: this.accountId,
      latestCodeDir: (spec) => this.latestCodeDir(spec),
      onDidChange: (functionName) => this.latestChanged(functionName),
    });
  }

  /**
   * Restores the saved state (API-made functions, versions, aliases) and publishes the AutoPublishAlias versions; runs once,
   * before the first invocation at the latest. Resolves with what could not be restored, for the caller to show.
   */
  ready(): Promise<string[]> {
    this.loading ??= this.functions.load();
    return this.loading;
  }

  /**
   * Variables every new environment gets unless the function's Environment sets them: the local endpoints of AWS
   * services (AWS_ENDPOINT_URL_<SERVICE>), so the functions' SDKs reach them. Added to what earlier calls set.
   */
  setServiceEndpoints(variables: Record<string, string>): void {
    Object.assign(this.serviceEndpoints, variables);
  }

  private endpointVariables(spec: FunctionSpec): Record<string, string> {
    const passedThrough = new Set(this.localEndpoint?.passThrough.map((service) => `AWS_ENDPOINT_URL_${service.toUpperCase()}`));
    return Object.fromEntries(Object.entries(this.serviceEndpoints).filter(([name]) => spec.environment[name] === undefined && !passedThrough.has(name)));
  }

  /** Event invocations accepted and not yet done (running, or waiting for a retry), with their destinations. */
  asyncInvocations(): AsyncInvocationInfo[] {
    return this.asyncInvoker.inFlight();
  }

  /** Fires when an Event invocation is accepted, attempted, waits for a retry or is done. */
  get onDidChangeAsyncInvocations(): Event<void> {
    return this.asyncInvoker.onDidChange;
  }

  /** The control plane, once the saved state is restored. */
  async functionStore(): Promise<FunctionStore> {
    await this.ready();
    return this.functions;
  }

  /**
   * Functions started from now on send their SDK calls to this local endpoint (AWS_ENDPOINT_URL_SQS, ...), except for
   * the services passed through to AWS, which get the user's credentials from this process's environment.
   */
  useLocalEndpoint(settings: LocalEndpointSettings | undefined): void {
    this.localEndpoint = settings;
    // Messages published by no API call (destinations) name this endpoint for confirming and unsubscribing.
    if (settings) this.topics.defaultUrls = { endpoint: settings.url };
  }

  /** Why the backend cannot run this function at all (listed at load; invoking it answers ResourceConflictException). */
  cannotRun(spec: FunctionSpec): RunBlocker | undefined {
    return this.options.backend.cannotRun(spec);
  }

  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    const ref = parseFunctionRef(request.functionName, request.qualifier);
    await this.ready();
    const target = this.functions.resolve(ref.name, ref.qualifier);
    if (target.record.state !== 'Active') {
      throw new ServiceError('ResourceConflictException',
        `The operation cannot be performed at this time. The function is currently in the following state: ${target.record.state}`, { Type: 'User' });
    }
    const { spec, version, invokedArn } = target;
    const blocker = this.cannotRun(spec);
    if (blocker) throw functionFailedError(blocker.reasonCode, `${blocker.reason} ${blocker.hint}`);
    const type = request.invocationType ?? 'RequestResponse';
    const limit = type === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
    if (request.payload.length > limit) throw requestTooLarge(limit);
    if (request.payload.length > 0) parseRequestJson(request.payload);

    const requestId = request.requestId ?? randomUUID();
    if (type === 'DryRun') {
      return { statusCode: 204, requestId, payload: Buffer.alloc(0), executedVersion: version };
    }
    if (type === 'Event') {
      const event = this.eventTarget(ref.name, ref.qualifier, version);
      // 202 once the event is journaled (a restart runs it); 429 when it cannot be kept.
      await this.asyncInvoker.enqueue({ request: { ...request, invocationType: 'RequestResponse' }, requestId, ...event });
      return { statusCode: 202, requestId, payload: Buffer.alloc(0), executedVersion: version };
    }
    return this.invokeSync(spec, version, invokedArn, request, requestId, false);
  }

  /**
   * What an Event invocation of `functionName:qualifier` runs: the version (`version` when it was already drawn) with the
   * qualifier's EventInvokeConfig (PutFunctionEventInvokeConfig, else the template's; none: Lambda's defaults) for retries,
   * event age and destinations.
   */
  eventTarget(functionName: string, qualifier: string | undefined, version?: string): EventTarget {
    const target = this.functions.resolve(functionName, version ?? qualifier);
    const invokeConfig = target.record.eventInvokeConfigs.get(qualifier ?? '$LATEST');
    // Each qualifier has its own config (the template's or the API's): an alias or version without one has Lambda's defaults.
    const spec: FunctionSpec = { ...target.spec };
    delete spec.eventInvokeConfig;
    if (invokeConfig) {
      spec.eventInvokeConfig = {
        maximumRetryAttempts: invokeConfig.maximumRetryAttempts, maximumEventAgeInSeconds: invokeConfig.maximumEventAgeInSeconds, onSuccess: invokeConfig.onSuccess, onFailure: invokeConfig.onFailure,
      };
    }
    return { spec, version: target.version };
  }

  /**
   * Runs again the Event invocations that services on this state directory accepted and did not finish (killed, crashed,
   * stopped with retries pending), from their journals; a long-running front end calls it once at start. Resolves with
   * lines for the user (what was resumed, or why Event invocations will be refused).
   */
  async resumeAsyncInvocations(): Promise<string[]> {
    await this.ready();
    return this.asyncInvoker.recover();
  }

  /** Runs one synchronous invocation; `queue` waits for capacity instead of throttling (async retries, debugging). */
  async invokeSync(
    spec: FunctionSpec,
    version: string,
    invokedArn: string,
    request: InvokeRequest,
    requestId: string,
    queue: boolean,
  ): Promise<InvokeResult> {
    const debug = this.debug.get(spec.functionName);
    const instance = await this.pool
      .acquire({
      key: `${spec.functionName}:${version}`,
      functionName: spec.functionName,
      // Reserved concurrency belongs to the function, not to a version.
      reservedConcurrency: this.registry.get(spec.functionName)?.reservedConcurrency,
      maxInstances: debug ? 1 : undefined,
      wait: queue || debug !== undefined,
      create: () => this.startInstance(spec, version, debug),
    })
      .catch((error: unknown) => {
        throw asFailedState(error);
      });
    const tail = request.logType === 'Tail' ? new LogTail() : undefined;
    let result: InstanceResult;
    try {
      request.onStart?.(version);
      result = await instance.invoke({
        requestId,
        payload: request.payload.length ? request.payload : Buffer.from('{}'),
        invokedFunctionArn: invokedArn,
        traceId: request.traceId ?? traceId(),
        clientContext: request.clientContext ? Buffer.from(request.clientContext, 'base64').toString('utf8') : undefined,
        tenantId: request.tenantId,
        timeoutSeconds: debug?.timeoutSeconds ?? spec.timeoutSeconds,
        onLog: tail || request.onLog ? (record: LogRecord) => {
          tail?.push(record.text);
          request.onLog?.(record);
        } : undefined,
        onResponseChunk: request.onResponseChunk,
      });
    } finally {
      this.pool.release(instance);
    }
    // END and REPORT are in the log before the caller answers (a terminal sink writes once per event-loop turn).
    const logged = this.logs.written();
    if (logged) await logged;
    return {
      statusCode: 200,
      requestId,
      payload: result.payload,
      contentType: result.contentType,
      executedVersion: version,
      ...(result.errorType ? { functionError: 'Unhandled' as const, errorType: result.errorType } : {}),
      ...(tail ? { logResult: tail.toBase64() } : {}),
      durationMs: result.durationMs,
      billedDurationMs: Math.max(1, Math.ceil(result.durationMs)),
      maxMemoryUsedMB: result.maxMemoryUsedMB,
      initDurationMs: result.initDurationMs,
    };
  }

  listInstances(): InstanceInfo[] {
    return this.pool.instances().map((instance) => ({ ...instance.info }));
  }

  /** Starts debugging a function: its warm instances are replaced, new ones open the inspector (or debugpy) on `port`. */
  async setDebug(functionName: string, debug: DebugOptions | undefined): Promise<void> {
    const spec = this.requireFunction(functionName);
    if (debug && this.debug.has(spec.functionName)) {
      throw new WorkbenchError('USAGE', `${spec.functionName} is already being debugged in another session.`, {
        hint: 'Stop that debug session first: a function is debugged by one session at a time.',
      });
    }
    if (debug) this.debug.set(spec.functionName, debug);
    else this.debug.delete(spec.functionName);
    // Debug builds are readable (not minified, names kept); the next environment builds for the new mode.
    this.builds.delete(spec.logicalId);
    await this.stopInstances(spec.functionName);
  }

  /** Debugging: stops or restarts the Lambda clock of the function's busy instances. */
  setDeadlinePaused(functionName: string, paused: boolean): void {
    for (const instance of this.pool.instances()) {
      if (instance.info.functionName === functionName) {
        if (paused) instance.pauseDeadline();
        else instance.resumeDeadline();
      }
    }
  }

  /**
   * Rebuilds a function (incrementally) and replaces its environments for the next invocation: idle ones stop now, busy
   * ones (a handler paused at a breakpoint) finish their invocation on the previous code first. On a build error the old
   * ones keep serving. Resolves with how many invocations were still running on the previous code.
   */
  async reload(functionName: string): Promise<ReloadResult> {
    const spec = this.requireFunction(functionName);
    const build = this.builder.rebuild(spec, this.debug.has(spec.functionName));
    this.builds.set(spec.logicalId, build);
    let result: BuildResult;
    try {
      result = await build;
    } catch (error) {
      this.builds.delete(spec.logicalId);
      throw error;
    }
    if (result.notice) this.warn(spec.functionName, result.notice);
    const inFlight = await this.pool.retire((key) => key.startsWith(`${spec.functionName}:`));
    await this.functions.codeChanged(spec.functionName);
    return { inFlight };
  }

  /**
   * A function without environments changed its code on disk: its next invocation builds it again, and its CodeSha256
   * (what Publish Version compares) and AutoPublishAlias follow.
   */
  async codeChanged(functionName: string): Promise<void> {
    const spec = this.requireFunction(functionName);
    this.builds.delete(spec.logicalId);
    await this.functions.codeChanged(spec.functionName);
  }

  async stopInstances(functionName?: string): Promise<void> {
    await this.pool.stop((key) => functionName === undefined || key.startsWith(`${functionName}:`));
  }

  async dispose(): Promise<void> {
    const asyncQueue = this.asyncInvoker.dispose();
    await this.pool.stop();
    await this.tmpDirs.dispose();
    await asyncQueue;
    await this.topics.dispose();
    await this.queues.dispose();
    await this.eventBuses.dispose();
    await this.functions.state.flush();
    await this.options.backend.dispose();
    await this.builder.dispose();
    this.instanceStarted.dispose();
    this.warnings.dispose();
  }

  private requireFunction(functionName: string): FunctionSpec {
    const spec = this.registry.get(functionName);
    if (!spec) {
      throw new WorkbenchError('FUNCTION_NOT_FOUND', `Function '${functionName}' not found. Functions: ${this.registry.list().map((f) => f.functionName).join(', ') || '(none)'}`);
    }
    return spec;
  }

  /**
   * Starts every provisioned concurrency config (the template's ProvisionedConcurrencyConfig on the AutoPublishAlias, and
   * those made through the API), as a deployment does: the environments initialise now
   * (AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency), stay warm and serve their version first; invocations beyond
   * them scale on demand. Resolves with one line per config for the caller to show.
   */
  async startProvisionedConcurrency(): Promise<string[]> {
    await this.ready();
    const report: string[] = [];
    for (const record of this.functions.list()) {
      for (const config of record.provisioned.values()) {
        const status = await this.functions.provision(record.name, config.qualifier, (version, count) => this.provision(record.name, version, count));
        report.push(`${record.name}:${config.qualifier}: ${status.allocated} of ${status.requested} provisioned environments ready` +
          (status.status === 'FAILED' ? ` (Status: FAILED, StatusReason: ${status.statusReason})` : ''));
      }
    }
    return report;
  }

  /**
   * Initialises `count` provisioned environments of a published version in place of the ones it had: they run their init
   * now and stay warm. Resolves with how many initialised.
   */
  async provision(functionName: string, version: string, count: number): Promise<number> {
    const published = this.functions.get(functionName)?.versions.get(version);
    await this.deprovision(functionName, version);
    if (!published || count <= 0) return 0;
    const results = await Promise.allSettled(
      Array.from({ length: count }, () => this.startInstance(published.spec, version, undefined, 'provisioned-concurrency')),
    );
    let ready = 0;
    for (const result of results) {
      if (result.status !== 'fulfilled') continue;
      this.pool.addWarm(`${functionName}:${version}`, functionName, result.value);
      ready++;
    }
    return ready;
  }

  /** Stops the environments of a version (its provisioned ones included). */
  async deprovision(functionName: string, version: string): Promise<void> {
    await this.pool.stop((key) => key === `${functionName}:${version}`);
  }

  private async startInstance(
    spec: FunctionSpec,
    version: string,
    debug: DebugOptions | undefined,
    initializationType: 'on-demand' | 'provisioned-concurrency' = 'on-demand',
  ): Promise<Instance> {
    // A published version runs its snapshot; $LATEST runs its (cached) build.
    const codeDir = version === '$LATEST' ? await this.latestCodeDir(spec, debug !== undefined) : spec.codeDir;
    // A template's layer ARN runs with the version published to this endpoint; without one the function does not run.
    const missingLayer = this.functions.unknownLayer(spec);
    if (missingLayer) throw missingLayer;
    const layerContent = spec.layers.flatMap((layer) => {
      const dir = layer.contentDir ?? this.functions.layers.find(layer.ref)?.contentDir;
      return dir ? [dir] : [];
    });
    const layerDirs = await Promise.all(layerContent.map((dir) => this.builder.packages.directory(dir)));
    // Lambda's Node.js runtimes provide the AWS SDK: code that imports it without bundling it finds it (an esbuild
    // build bundles it unless its External names it).
    const bundlesSdk = spec.build !== undefined && !spec.build.external.some((name) => name.startsWith('@aws-sdk'));
    const sdkModulesDir = spec.runtime?.startsWith('nodejs') && !bundlesSdk
      ? await this.sdkModules.modulesFor(codeDir, spec.templatePath ? path.dirname(spec.templatePath) : undefined)
      : undefined;
    const instanceId = `${spec.functionName}-${(++this.sequence).toString(36)}${randomUUID().slice(0, 4)}`;
    const instance = new Instance({
      instanceId,
      spec,
      version,
      backend: debug?.backend ?? this.options.backend,
      codeDir,
      layerDirs,
      ...(sdkModulesDir ? { sdkModulesDir } : {}),
      tmpDir: this.tmpDirs.make(instanceId),
      region: this.region,
      accountId: this.accountId,
      initializationType,
      // SAM's --env-vars format: "Parameters" applies to every function, a logical id to that function.
      environmentOverrides: {
        ...this.endpointVariables(spec),
        ...this.options.environmentOverrides?.Parameters,
        ...this.options.environmentOverrides?.[spec.logicalId],
        ...debug?.environment,
      },
      logFormat: this.options.logFormat,
      ...(this.localEndpoint ? { localEndpoint: this.localEndpoint } : {}),
      ...(this.localEndpoint?.passThrough.length ? hostCredentials() : {}),
      debug: debug && { port: debug.port, breakOnStart: debug.breakOnStart },
      onLog: (record) => this.logs.write(record),
      onLaunched: (launched) => this.instanceStarted.fire(launched),
      onWarning: (message) => this.warn(spec.functionName, message),
    });
    try {
      await instance.start();
      if (initializationType === 'provisioned-concurrency' && instance.initFailed) {
        throw new WorkbenchError('INSTANCE_FAILED', `Provisioned environment of ${spec.functionName} failed to initialise.`);
      }
    } catch (error) {
      await instance.stop();
      throw error;
    }
    return instance;
  }

  /** $LATEST's code or configuration changed through the API (or it was deleted): it is built again and its warm environments retire. */
  private async latestChanged(functionName: string): Promise<void> {
    const spec = this.registry.get(functionName);
    this.builds.delete(spec?.logicalId ?? functionName);
    await this.pool.stop((key) => (spec ? key === `${functionName}:$LATEST` : key.startsWith(`${functionName}:`)));
  }

  /** The folder $LATEST runs from: the function's build output (built once, then by reload), or its code folder. */
  /** Debugging builds are readable (no minification, names kept); see FunctionBuilder.build. */
  private async latestCodeDir(spec: FunctionSpec, readable = this.debug.has(spec.functionName)): Promise<string> {
    let build = this.builds.get(spec.logicalId);
    if (!build) {
      build = this.builder.build(spec, readable);
      this.builds.set(spec.logicalId, build);
      build.then((result) => result.notice && this.warn(spec.functionName, result.notice), () => this.builds.delete(spec.logicalId));
    }
    return (await build).codeDir;
  }

  private warn(functionName: string, message: string): void {
    const line = `${functionName}: ${message}`;
    if (this.warned.has(line)) return;
    this.warned.add(line);
    this.warnings.fire(line);
  }
}

/** The Invoke API's answer to a payload over `limit` bytes. */
export function requestTooLarge(limit: number): ServiceError {
  return new ServiceError('RequestTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation`, { Type: 'User' });
}

/** What only a launch finds out (no engine, an image that is not there) is a Failed function too, never an internal error. */
function asFailedState(error: unknown): unknown {
  if (isWorkbenchError(error, 'RUNTIME_UNSUPPORTED')) return functionFailedError('InvalidRuntime', error.describe());
  if (isWorkbenchError(error, 'PACKAGE_INVALID')) return functionFailedError('InvalidZipFileException', error.describe());
  if (isWorkbenchError(error, 'LAYER_NOT_FOUND')) return functionFailedError('InvalidConfiguration', error.describe());
  if (isWorkbenchError(error, 'DOCKER_UNAVAILABLE') || isWorkbenchError(error, 'IMAGE_UNAVAILABLE')) {
    return functionFailedError('InvalidImage', error.describe());
  }
  return error;
}

/** An X-Ray trace header like Lambda's: Root=1-<8 hex time>-<24 hex>;Parent=<16 hex>;Sampled=0 */
function traceId(): string {
  const time = Math.floor(Date.now() / 1000).toString(16);
  const hex = randomUUID().replace(/-/g, '');
  return `Root=1-${time}-${hex.slice(0, 24)};Parent=${hex.slice(16, 32)};Sampled=0;Lineage=1:${hex.slice(0, 8)}:0`;
}

/** The user's credentials from the environment, for the services passed through to AWS (none: the local placeholders). */
function hostCredentials(): { credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } } {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = process.env;
  if (!accessKeyId || !secretAccessKey) return {};
  return { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } };
}
