// "Start Local Endpoints": the Invoke API (AWS SDK / CLI compatible) and the function URLs, on 127.0.0.1, serving whatever service is current.
import * as vscode from 'vscode';
import type { FunctionUrlEndpoint, FunctionUrls } from '../../core/api/functionUrls';
import type { InvokeApi, InvokeApiService } from '../../core/api/invokeApi';
import type { FunctionCatalog } from '../services/functionCatalog';
import type { ServiceHost } from '../services/serviceHost';

export interface RunningEndpoints {
  invokeApiUrl: string;
  /** One per function whose template sets FunctionUrlConfig (fixed when started: restart to pick up new ones). */
  functionUrls: FunctionUrlEndpoint[];
}

export class LocalEndpoints implements vscode.Disposable {
  private running: { api: InvokeApi; urls: FunctionUrls } | undefined;

  constructor(
    private readonly catalog: FunctionCatalog,
    private readonly host: ServiceHost,
  ) {}

  get current(): RunningEndpoints | undefined {
    return this.running && { invokeApiUrl: this.running.api.url, functionUrls: this.running.urls.endpoints };
  }

  /** Starts the servers (once): the Invoke API on `port`, function URLs on the ports after it (any free ports for 0). */
  async start(port: number): Promise<RunningEndpoints> {
    if (!this.running) {
      await this.catalog.ready();
      const [{ startInvokeApi }, { startFunctionUrls }, { sqsApi }] = await Promise.all([
        import('../../core/api/invokeApi.js'),
        import('../../core/api/functionUrls.js'),
        import('../../core/api/sqs/sqsApi.js'),
      ]);
      const host = this.host;
      const catalog = this.catalog;
      const service: InvokeApiService = {
        invoke: async (request) => (await host.get()).invoke(request),
        functionStore: async () => (await host.get()).functionStore(),
        provision: async (functionName, version, count) => (await host.get()).provision(functionName, version, count),
        deprovision: async (functionName, version) => (await host.get()).deprovision(functionName, version),
      };
      // SQS on the same port, over the current service's queues.
      const api = await startInvokeApi(service, { port, host: '127.0.0.1', services: [sqsApi(async () => (await host.get()).queues)] });
      try {
        const urlService = { invoke: service.invoke, registry: { list: () => catalog.functions() } };
        this.running = { api, urls: await startFunctionUrls(urlService, { basePort: port === 0 ? 0 : port + 1 }) };
      } catch (error) {
        await api.close();
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
    await Promise.all([running?.api.close(), running?.urls.close()]);
  }
}
