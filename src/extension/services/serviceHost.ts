// Owns the engine (LambdaService) for the window: built lazily from the catalog and settings, replaced when they change.
// The engine's modules load on first use (not at activation).
import * as vscode from 'vscode';
import type { Backend } from '../../core/instances/backend';
import { LogFanout, type LogSink } from '../../core/logs/logRecord';
import type { InstanceInfo } from '../../core/instances/instance';
import type { SharedServiceProvider } from '../../adapter/sharedService';
import type { FunctionStore } from '../../core/functions/functionStore';
import type { LambdaService } from '../../core/service/lambdaService';
import type { LocalSchedules } from '../../core/service/schedules/localSchedules';
import type { FunctionSpec } from '../../core/template/functionSpec';
import { errorMessage } from '../../core/common/errors';
import { parsePassThrough } from '../../core/instances/localServices';
import { onDidChangeSettings, readSettings } from '../platform/settings';
import type { FunctionCatalog } from './functionCatalog';
import type { ServiceEndpoint } from './serviceEndpoint';
import { localCodeRoots } from '../../core/api/lambda/localCodePaths';
import { workspaceProjectRoots } from '../platform/projectRoots';

export type BackendFactory = () => Promise<Backend>;

export class ServiceHost implements vscode.Disposable, SharedServiceProvider {
  /** The service being created or created; undefined until first use and after a replacement. */
  private service: Promise<LambdaService> | undefined;
  /** The created service, for the synchronous queries. */
  private current: LambdaService | undefined;
  /** The current service's own AWS endpoint (Lambda API, SQS, ...) and event source mappings. */
  private endpoint: ServiceEndpoint | undefined;
  private serviceSubscriptions: { dispose(): void }[] = [];
  /** Sinks live here, not in a service, so they outlive the replacement of the service. */
  private readonly logs = new LogFanout();
  private readonly instancesEmitter = new vscode.EventEmitter<void>();
  /** Fires when an instance starts, changes state or stops, and when the service is replaced. */
  readonly onDidChangeInstances = this.instancesEmitter.event;
  private readonly replaceEmitter = new vscode.EventEmitter<void>();
  /** Fires after the service was replaced and the old one disposed (debug sessions move to the next one). */
  readonly onDidReplace = this.replaceEmitter.event;
  private readonly resourcesEmitter = new vscode.EventEmitter<void>();
  /** Fires when the local resources change: queues and their messages, asynchronous invocations in flight. */
  readonly onDidChangeResources = this.resourcesEmitter.event;
  private readonly controlPlaneEmitter = new vscode.EventEmitter<void>();
  /** Fires when functions, versions, aliases or settings change (console commands, the local Lambda API). */
  readonly onDidChangeControlPlane = this.controlPlaneEmitter.event;
  private readonly subscriptions: vscode.Disposable[];
  private replacing: Promise<void> = Promise.resolve();
  /** AWS_ENDPOINT_URL_<SERVICE> variables of the local endpoints, given to every service this host creates. */
  private readonly serviceEndpoints: Record<string, string> = {};
  /** The functions the current service was made from, to tell a real template change from a reload that changed nothing. */
  private servedFunctions: string | undefined;

  constructor(
    private readonly catalog: FunctionCatalog,
    private readonly stateDir: string,
    private readonly createBackend: BackendFactory,
  ) {
    this.subscriptions = [
      this.instancesEmitter,
      // Menus and the palette offer "Stop All Instances" only while something runs.
      this.onDidChangeInstances(() => void vscode.commands.executeCommand('setContext', 'lambdaWorkbench.hasInstances', this.listInstances().length > 0)),
      this.replaceEmitter,
      this.controlPlaneEmitter,
      this.resourcesEmitter,
      // A reload that read the same functions (a watcher reporting one save twice) keeps the service and its sessions.
      catalog.onDidChange(() => {
        if (functionsFingerprint(catalog.functions()) !== this.servedFunctions) this.replace();
      }),
      onDidChangeSettings(['backend', 'dockerHost', 'imageOverrides', 'interpreters', 'logFormat', 'timeScale', 'passThroughServices'], () => this.replace()),
    ];
  }

  /** The current service, created on first use from the loaded templates. */
  async get(): Promise<LambdaService> {
    await this.catalog.ready();
    await this.replacing;
    if (!this.service) {
      // A failed creation is not kept: the next use tries again.
      const creating: Promise<LambdaService> = this.create().catch((error: unknown) => {
        if (this.service === creating) this.service = undefined;
        throw error;
      });
      this.service = creating;
    }
    return this.service;
  }

  /** The control plane (versions, aliases, settings, API-made functions), with the workspace's saved state restored. */
  async functionStore(): Promise<FunctionStore> {
    return (await this.get()).functionStore();
  }

  /** Functions created through the Lambda API of the local endpoints (none before the service exists). */
  apiFunctions(): FunctionSpec[] {
    const store = this.current?.functions;
    return store ? store.list().filter((record) => record.origin === 'api').map((record) => store.spec(record.name)) : [];
  }

  /** $LATEST's configuration in the current service, with what the console or the Lambda API changed; undefined before it exists. */
  currentSpec(functionName: string): FunctionSpec | undefined {
    const store = this.current?.functions;
    return store?.get(functionName) ? store.spec(functionName) : undefined;
  }

  /** Points the functions' AWS SDKs at local services (the DynamoDB and S3 of Start Local Endpoints), now and after a replacement. */
  setServiceEndpoints(variables: Record<string, string>): void {
    Object.assign(this.serviceEndpoints, variables);
    this.current?.setServiceEndpoints(variables);
  }

  /** The current service, when one runs (the view reads its queues and asynchronous invocations without starting one). */
  get running(): LambdaService | undefined {
    return this.current;
  }

  /** The templates' schedules of the current service, firing on time (none before first use). */
  get schedules(): LocalSchedules | undefined {
    return this.endpoint?.schedules;
  }

  /** The URL of the current service's own AWS endpoint, where its functions' SDK calls go (none before first use). */
  get endpointUrl(): string | undefined {
    return this.endpoint?.url;
  }

  /** The warm instances of the current service (none before the first invocation). */
  listInstances(): InstanceInfo[] {
    return this.current?.listInstances() ?? [];
  }

  /** Writes to every sink added: lines of debug sessions that run on a service of their own. */
  get logSink(): LogSink {
    return this.logs;
  }

  /** Receives every log line of every invocation, whatever started it. */
  addLogSink(sink: LogSink): vscode.Disposable {
    return new vscode.Disposable(this.logs.add(sink).dispose);
  }

  /** Rebuilds a function and replaces its warm instances; false when there was no service to reload. */
  async reload(functionName: string): Promise<boolean> {
    if (!this.current) return false;
    await this.current.reload(functionName);
    return true;
  }

  /** A cold function's code changed on disk: its next invocation builds it again, and its CodeSha256 follows. */
  async codeChanged(functionName: string): Promise<void> {
    await this.current?.codeChanged(functionName);
  }

  /** Stops the instances of one function, or all of them. */
  async stopInstances(functionName?: string): Promise<void> {
    await this.current?.stopInstances(functionName);
  }

  /**
   * "Reset State": stops the service (its instances, its asynchronous queue) and forgets the workspace's saved state (API-made
   * functions, versions, aliases, layers, settings, queues); the next use builds a service from the templates alone.
   */
  async resetState(): Promise<string> {
    let removed = '';
    this.replacing = this.replacing.then(async () => {
      await this.disposeService();
      const { resetState } = await import('../../core/state/stateStore.js');
      removed = await resetState(this.stateDir);
      this.replaceEmitter.fire();
      this.controlPlaneEmitter.fire();
    });
    await this.replacing;
    return removed;
  }

  /** Stops everything; the next use builds a fresh service. */
  async dispose(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.dispose();
    await this.disposeService();
  }

  private async create(): Promise<LambdaService> {
    const [{ LambdaService }, { FunctionRegistry }, backend] = await Promise.all([
      import('../../core/service/lambdaService.js'),
      import('../../core/service/functionRegistry.js'),
      this.createBackend(),
    ]);
    const settings = readSettings();
    const functions = this.catalog.functions();
    this.servedFunctions = functionsFingerprint(functions);
    const service = new LambdaService(FunctionRegistry.fromSpecs(functions), {
      backend,
      stateDir: this.stateDir,
      logSink: this.logs,
      timeScale: settings.timeScale,
      ...(settings.logFormat === 'template' ? {} : { logFormat: settings.logFormat }),
    });
    service.setServiceEndpoints(this.serviceEndpoints);
    // The functions' SDK calls (AWS_ENDPOINT_URL_SQS, ...) reach this service's own endpoint, as under `start`.
    const { startServiceEndpoint } = await import('./serviceEndpoint.js');
    const endpoint = await startServiceEndpoint(service, FunctionRegistry.fromSpecs(functions), {
      passThrough: checkedPassThrough(settings.passThroughServices),
      timeScale: settings.timeScale,
      parameterOverrides: this.catalog.parameters.merged(),
      localCodeRoots: localCodeRoots(workspaceProjectRoots(), this.stateDir),
      log: (text) => this.logs.write({ functionName: '', instanceId: '', source: 'platform', text, time: Date.now() }),
    }).catch(async (error: unknown) => {
      await service.dispose();
      throw error;
    });
    for (const problem of endpoint.problems) this.logs.write({ functionName: '', instanceId: '', source: 'platform', text: `Warning: ${problem}`, time: Date.now() });
    this.endpoint = endpoint;
    this.serviceSubscriptions = [
      service.onDidChangeInstances(() => this.instancesEmitter.fire()),
      service.functions.onDidChange(() => this.controlPlaneEmitter.fire()),
      service.queues.onDidChange(() => this.resourcesEmitter.fire()),
      service.eventBuses.onDidChange(() => this.resourcesEmitter.fire()),
      service.onDidChangeAsyncInvocations(() => this.resourcesEmitter.fire()),
      // Said once per function before its first INIT_START: in the log (and debug console) and as a notification.
      service.onDidWarn((message) => {
        const functionName = message.slice(0, message.indexOf(':'));
        this.logs.write({ functionName, instanceId: '', source: 'platform', text: `Warning: ${message}`, time: Date.now() });
        void vscode.window.showWarningMessage(message);
      }),
    ];
    // Event invocations an earlier session accepted and did not finish run now (the state directory's async journals).
    void service.resumeAsyncInvocations().then((lines) => {
      for (const text of lines) this.logs.write({ functionName: '', instanceId: 'async', source: 'platform', text, time: Date.now() });
    }, () => undefined);
    // The templates' EventBridge rules and buses (PutEvents waits for them); a rule EventBridge would refuse is reported.
    const ruleWarnings: string[] = [];
    void import('../../core/service/eventBridge/templateRules.js')
      .then(({ readTemplateEventRules }) => service.eventBuses.useTemplate(readTemplateEventRules(functions, ruleWarnings)))
      .then(() => ruleWarnings, (error: unknown) => [error instanceof Error ? error.message : String(error)])
      .then((lines) => {
        for (const text of lines) this.logs.write({ functionName: '', instanceId: '', source: 'platform', text: `Warning: ${text}`, time: Date.now() });
      });
    this.current = service;
    return service;
  }

  /** Templates or settings changed: stop the current instances; the next use builds a service from the new state. */
  private replace(): void {
    if (!this.service) return;
    this.replacing = this.replacing.then(async () => {
      await this.disposeService();
      this.replaceEmitter.fire();
    });
  }

  private async disposeService(): Promise<void> {
    const creating = this.service;
    this.service = undefined;
    const service = await creating?.catch(() => undefined);
    this.current = undefined;
    for (const subscription of this.serviceSubscriptions.splice(0)) subscription.dispose();
    const endpoint = this.endpoint;
    this.endpoint = undefined;
    await endpoint?.close();
    if (service) {
      await service.dispose();
      this.instancesEmitter.fire();
      this.resourcesEmitter.fire();
    }
  }
}

/** The setting's service names that `start --pass-through` knows; the others are named in a warning and left out. */
function checkedPassThrough(names: readonly string[]): string[] {
  return names.flatMap((name) => {
    try {
      return parsePassThrough([name]);
    } catch (error) {
      void vscode.window.showWarningMessage(`lambdaWorkbench.passThroughServices: ${errorMessage(error)}`);
      return [];
    }
  });
}

/** The functions' definitions as one comparable text. */
function functionsFingerprint(functions: readonly FunctionSpec[]): string {
  return JSON.stringify(functions);
}
