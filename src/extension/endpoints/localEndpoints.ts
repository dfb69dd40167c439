// "Start Local Endpoints": the Invoke API (AWS SDK / CLI compatible), the function URLs and the templates' API Gateway, on 127.0.0.1, serving whatever service is current.
import * as vscode from 'vscode';
import type { FunctionUrlEndpoint, FunctionUrls } from '../../core/api/functionUrls';
import type { InvokeApi, InvokeApiService } from '../../core/api/invokeApi';
import type { LocalData } from '../../core/data/localData';
import type { GatewayEndpoint } from '../gateway/gatewayEndpoint';
import type { FunctionCatalog } from '../services/functionCatalog';
import type { ServiceHost } from '../services/serviceHost';

export interface RunningEndpoints {
  invokeApiUrl: string;
  /** One per URL config: the template's FunctionUrlConfig and those made through the Lambda API while the endpoints run. */
  functionUrls: FunctionUrlEndpoint[];
  /** The API Gateway serving the templates' HTTP and REST APIs; undefined when they declare none. */
  apiGatewayUrl?: string;
}

export class LocalEndpoints implements vscode.Disposable {
  private running: { api: InvokeApi; urls: FunctionUrls; apiGatewayUrl: string | undefined; data: LocalData | undefined } | undefined;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires when the endpoints start or stop (the view's Resources section shows what the tables and buckets hold then). */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly catalog: FunctionCatalog,
    private readonly host: ServiceHost,
    private readonly gateway: GatewayEndpoint,
    /** The workspace's state folder: the local tables and objects live under it. */
    private readonly stateDir: string,
  ) {}

  /** The template's tables and buckets, served while the endpoints run. */
  get data(): LocalData | undefined {
    return this.running?.data;
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
      // The templates' DynamoDB tables and S3 buckets, on the same endpoint.
      const [{ startLocalData }, { FunctionRegistry }] = await Promise.all([import('../../core/data/localData.js'), import('../../core/service/functionRegistry.js')]);
      const data = await startLocalData(service, FunctionRegistry.fromSpecs(this.catalog.functions()), { stateDir: this.stateDir });
      let api: InvokeApi | undefined;
      let urls: FunctionUrls | undefined;
      try {
        // SQS and SNS on the same port, over the current service's queues and topics.
        api = await startInvokeApi(service, { port, host: '127.0.0.1', services: [...localServiceApis(() => host.get()), ...(data?.services ?? [])], ...(data?.fallback ? { fallback: data.fallback } : {}) });
        if (data) host.setServiceEndpoints(data.environment(api.url));
        urls = await startFunctionUrls(service, { basePort: port === 0 ? 0 : port + 1 });
        this.running = { api, urls, apiGatewayUrl: await this.gateway.startIfRoutes(), data };
      } catch (error) {
        await Promise.all([api?.close(), urls?.close()]);
        await data?.close();
        throw error;
      }
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
    await Promise.all([running?.api.close(), running?.urls.close(), running?.apiGatewayUrl ? this.gateway.stop() : undefined]);
    await running?.data?.close();
    if (running) this.changeEmitter.fire();
  }
}
