// "Start Local Endpoints": the Invoke API (AWS SDK / CLI compatible), the function URLs, the event source mappings' pollers
// and the templates' API Gateway, on 127.0.0.1, serving whatever service is current; provisioned concurrency starts.
import * as vscode from 'vscode';
import type { FunctionUrlEndpoint, FunctionUrls } from '../../core/api/functionUrls';
import type { InvokeApi, InvokeApiService } from '../../core/api/invokeApi';
import type { LocalData } from '../../core/data/localData';
import type { EventSources } from '../../core/service/eventSources/eventSources';
import type { LocalEventSources } from '../../core/service/eventSources/localEventSources';
import type { GatewayEndpoint } from '../gateway/gatewayEndpoint';
import type { LogChannel } from '../logs/logChannel';
import { readSettings } from '../platform/settings';
import type { FunctionCatalog } from '../services/functionCatalog';
import type { ServiceHost } from '../services/serviceHost';
import { localCodeRoots } from '../../core/api/lambda/localCodePaths';
import { workspaceProjectRoots } from '../platform/projectRoots';

export interface RunningEndpoints {
  invokeApiUrl: string;
  /** One per URL config: the template's FunctionUrlConfig and those made through the Lambda API while the endpoints run. */
  functionUrls: FunctionUrlEndpoint[];
  /** The API Gateway serving the templates' HTTP and REST APIs; undefined when they declare none. */
  apiGatewayUrl?: string;
}

export class LocalEndpoints implements vscode.Disposable {
  private running: { api: InvokeApi; urls: FunctionUrls; apiGatewayUrl: string | undefined; data: LocalData | undefined; events: RunningEventSources } | undefined;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /**
   * Fires when the endpoints start or stop (the view's Resources section shows what the tables and buckets hold then) and
   * when an event source mapping changes.
   */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly catalog: FunctionCatalog,
    private readonly host: ServiceHost,
    private readonly gateway: GatewayEndpoint,
    /** The workspace's state folder: the local tables and objects live under it. */
    private readonly stateDir: string,
    private readonly logs: LogChannel,
  ) {}

  /** The template's tables and buckets, served while the endpoints run. */
  get data(): LocalData | undefined {
    return this.running?.data;
  }

  /** The event source mappings polled while the endpoints run. */
  get eventSources(): EventSources | undefined {
    return this.running?.events.current?.sources;
  }

  get current(): RunningEndpoints | undefined {
    if (!this.running) return undefined;
    const { api, urls, apiGatewayUrl } = this.running;
    return { invokeApiUrl: api.url, functionUrls: urls.endpoints, ...(apiGatewayUrl ? { apiGatewayUrl } : {}) };
  }

  /**
   * Starts the servers (once): the Invoke API on `port`, function URLs on the ports after it (any free ports for 0), and
   * the API Gateway on lambdaWorkbench.apiPort when the templates declare APIs.
   */
  async start(port: number): Promise<RunningEndpoints> {
    if (!this.running) {
      await this.catalog.ready();
      await this.catalog.dropVanished();
      const [{ startInvokeApi }, { startFunctionUrls }, { localServiceApis }] = await Promise.all([
        import('../../core/api/invokeApi.js'),
        import('../../core/api/functionUrls.js'),
        import('../../core/api/localServiceApis.js'),
      ]);
      const host = this.host;
      const service: InvokeApiService = {
        invoke: async (request) => (await host.get()).invoke(request),
        functionStore: async () => (await host.get()).functionStore(),
        provision: async (functionName, version, count) => (await host.get()).provision(functionName, version, count),
        deprovision: async (functionName, version) => (await host.get()).deprovision(functionName, version),
      };
      const events = new RunningEventSources(host, this.logs, () => this.changeEmitter.fire());
      // The templates' DynamoDB tables and S3 buckets, on the same endpoint; table writes feed the mappings' table streams.
      const [{ startLocalData }, { FunctionRegistry }, { tableStreams }] = await Promise.all([
        import('../../core/data/localData.js'),
        import('../../core/service/functionRegistry.js'),
        import('../../core/data/dynamoDbStreamCapture.js'),
      ]);
      const data = await startLocalData(service, FunctionRegistry.fromSpecs(this.catalog.functions()), { stateDir: this.stateDir, streams: tableStreams(() => events.current?.sources) });
      let api: InvokeApi | undefined;
      let urls: FunctionUrls | undefined;
      try {
        // SQS, SNS and EventBridge on the same port, over the current service's queues, topics and buses.
        api = await startInvokeApi(service, {
          port,
          host: '127.0.0.1',
          localCodeRoots: localCodeRoots(workspaceProjectRoots(), this.stateDir),
          services: [...localServiceApis(() => host.get()), ...(data?.services ?? [])],
          ...(data?.fallback ? { fallback: data.fallback } : {}),
          eventSources: () => events.current?.sources,
        });
        if (data) host.setServiceEndpoints(data.environment(api.url));
        urls = await startFunctionUrls(service, { basePort: port === 0 ? 0 : port + 1 });
        await events.start();
        this.running = { api, urls, apiGatewayUrl: await this.gateway.startIfRoutes(), data, events };
      } catch (error) {
        await Promise.all([api?.close(), urls?.close(), events.dispose()]);
        await data?.close();
        throw error;
      }
      // Provisioned concurrency configs initialise their environments, as `start` (a deployment) does.
      void host.get().then((current) => current.startProvisionedConcurrency()).then(
        (lines) => lines.forEach((line) => this.logs.note(`Provisioned concurrency: ${line}`)),
        (error: unknown) => this.logs.note(`Provisioned concurrency not started: ${(error as Error).message}`),
      );
      await vscode.commands.executeCommand('setContext', 'lambdaWorkbench.endpointsRunning', true);
      this.changeEmitter.fire();
    }
    return this.current as RunningEndpoints;
  }

  async stop(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'lambdaWorkbench.endpointsRunning', false);
    await this.dispose();
  }

  async dispose(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    await Promise.all([running?.api.close(), running?.urls.close(), running?.events.dispose(), running?.apiGatewayUrl ? this.gateway.stop() : undefined]);
    await running?.data?.close();
    if (running) this.changeEmitter.fire();
  }
}

/**
 * The pollers of the templates' and the Lambda API's event source mappings, over the current service's queues: started
 * again when templates or settings replace the service (the new service has its own queues).
 */
class RunningEventSources {
  current: LocalEventSources | undefined;
  private replaced: { dispose(): void } | undefined;
  private changed: { dispose(): void } | undefined;
  private restarting: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly host: ServiceHost,
    private readonly logs: LogChannel,
    private readonly onDidChange: () => void,
  ) {}

  async start(): Promise<void> {
    await this.open();
    this.replaced = this.host.onDidReplace(() => {
      this.restarting = this.restarting.then(() => this.close()).then(() => (this.disposed ? undefined : this.open())).catch((error: unknown) => {
        this.logs.note(`Event source mappings not restarted: ${(error as Error).message}`);
      });
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.replaced?.dispose();
    await this.restarting;
    await this.close();
  }

  private async open(): Promise<void> {
    const { startLocalEventSources } = await import('../../core/service/eventSources/localEventSources.js');
    const service = await this.host.get();
    const host = this.host;
    // The service's own registry: it holds the functions made through the Lambda API too.
    const events = await startLocalEventSources(
      { invoke: async (request) => (await host.get()).invoke(request), logs: host.logSink },
      service.registry,
      { port: 0, queues: service.queues, state: (await service.functionStore()).state, timeScale: readSettings().timeScale },
    );
    this.current = events;
    this.changed = events.sources.onDidChange(this.onDidChange);
    for (const line of events.summary) this.logs.note(line);
    this.onDidChange();
  }

  private async close(): Promise<void> {
    const events = this.current;
    this.current = undefined;
    this.changed?.dispose();
    await events?.close();
  }
}
