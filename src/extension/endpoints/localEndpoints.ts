// "Start Local Endpoints": the Invoke API (AWS SDK / CLI compatible), the function URLs and the templates' API Gateway, on 127.0.0.1, serving whatever service is current.
import * as vscode from 'vscode';
import type { FunctionUrlEndpoint, FunctionUrls } from '../../core/api/functionUrls';
import type { InvokeApi, InvokeApiService } from '../../core/api/invokeApi';
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
  private running: { api: InvokeApi; urls: FunctionUrls; apiGatewayUrl: string | undefined } | undefined;

  constructor(
    private readonly catalog: FunctionCatalog,
    private readonly host: ServiceHost,
    private readonly gateway: GatewayEndpoint,
  ) {}

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
      const [{ startInvokeApi }, { startFunctionUrls }] = await Promise.all([import('../../core/api/invokeApi.js'), import('../../core/api/functionUrls.js')]);
      const host = this.host;
      const service: InvokeApiService = {
        invoke: async (request) => (await host.get()).invoke(request),
        functionStore: async () => (await host.get()).functionStore(),
        provision: async (functionName, version, count) => (await host.get()).provision(functionName, version, count),
        deprovision: async (functionName, version) => (await host.get()).deprovision(functionName, version),
      };
      const api = await startInvokeApi(service, { port, host: '127.0.0.1' });
      let urls: FunctionUrls | undefined;
      try {
        urls = await startFunctionUrls(service, { basePort: port === 0 ? 0 : port + 1 });
        this.running = { api, urls, apiGatewayUrl: await this.gateway.startIfRoutes() };
      } catch (error) {
        await Promise.all([api.close(), urls?.close()]);
        throw error;
      }
      await vscode.commands.executeCommand('setContext', 'lambdaWorkbench.endpointsRunning', true);
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
  }
}
