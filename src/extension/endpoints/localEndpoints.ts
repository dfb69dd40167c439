// "Start Local Endpoints": the Invoke API (AWS SDK / CLI compatible) on 127.0.0.1, serving whatever service is current.
import * as vscode from 'vscode';
import { startInvokeApi, type InvokeApi, type InvokeApiService } from '../../core/api/invokeApi';
import type { FunctionCatalog } from '../services/functionCatalog';
import type { ServiceHost } from '../services/serviceHost';

export class LocalEndpoints implements vscode.Disposable {
  private api: InvokeApi | undefined;

  constructor(
    private readonly catalog: FunctionCatalog,
    private readonly host: ServiceHost,
  ) {}

  get url(): string | undefined {
    return this.api?.url;
  }

  /** Starts the Invoke API (once); it follows the service across template and setting changes. */
  async start(port: number): Promise<InvokeApi> {
    if (this.api) return this.api;
    await this.catalog.ready();
    const host = this.host;
    const catalog = this.catalog;
    const service: InvokeApiService = {
      invoke: async (request) => (await host.get()).invoke(request),
      registry: { list: () => catalog.functions(), get: (name) => catalog.find(name) },
    };
    this.api = await startInvokeApi(service, { port, host: '127.0.0.1' });
    await vscode.commands.executeCommand('setContext', 'lambdaWorkbench.endpointsRunning', true);
    return this.api;
  }

  async stop(): Promise<void> {
    const api = this.api;
    this.api = undefined;
    await vscode.commands.executeCommand('setContext', 'lambdaWorkbench.endpointsRunning', false);
    await api?.close();
  }

  async dispose(): Promise<void> {
    await this.api?.close();
    this.api = undefined;
  }
}
