// The extension's local API Gateway: started on first use (a route's URL), serving the current routes through the service host.
import * as vscode from 'vscode';
import type { GatewayServer } from '../../core/gateway/gatewayServer';
import type { LogChannel } from '../logs/logChannel';
import { readSettings } from '../platform/settings';
import type { ServiceHost } from '../services/serviceHost';
import type { ApiRoutes } from './apiRoutes';

export class GatewayEndpoint implements vscode.Disposable {
  private starting: Promise<GatewayServer> | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly routes: ApiRoutes,
    private readonly host: ServiceHost,
    private readonly logs: LogChannel,
  ) {
    // Template edits reach a running gateway: requests in flight finish on the old routes.
    this.subscription = routes.onDidChange((table) => void this.starting?.then((server) => server.setTable(table)));
  }

  /** The gateway's base URL (http://127.0.0.1:PORT), starting it with the lambdaWorkbench.apiPort / jwks settings. */
  async url(): Promise<string> {
    this.starting ??= this.start().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return (await this.starting).url;
  }

  /** Starts the gateway when the templates declare an API ("Start Local Endpoints"); undefined when they declare none. */
  async startIfRoutes(): Promise<string | undefined> {
    return (await this.routes.current()).apis.length ? this.url() : undefined;
  }

  /** Stops the server; the next use starts it again. */
  async stop(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    await starting?.then((server) => server.close(), () => undefined);
  }

  async dispose(): Promise<void> {
    this.subscription.dispose();
    await this.stop();
  }

  private async start(): Promise<GatewayServer> {
    const [{ describeRoutes, startGateway }, { readJwksFile }, { iamCredentialsFrom }] = await Promise.all([
      import('../../core/gateway/gatewayServer.js'),
      import('../../core/gateway/localGateway.js'),
      import('../../core/gateway/iamAuthorization.js'),
    ]);
    const settings = readSettings();
    const table = await this.routes.current();
    const jwks = settings.jwks ? await readJwksFile(resolveInWorkspace(settings.jwks)) : undefined;
    const host = this.host;
    const server = await startGateway({ invoke: async (request) => (await host.get()).invoke(request) }, table, {
      port: settings.apiPort,
      ...(jwks ? { jwks } : {}),
      // AWS_IAM routes accept what a local SDK signs with: the extension host's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
      iamCredentials: iamCredentialsFrom([], process.env),
      onRequest: (entry) => this.logs.note(`API Gateway: ${entry.method} ${entry.path} -> ${entry.route?.functionId ?? '(no route)'} ${entry.status}`),
    });
    this.logs.note(`API Gateway listening on ${server.url} (${table.routes.length} route${table.routes.length === 1 ? '' : 's'}):`);
    for (const line of describeRoutes(server.url, table)) this.logs.note(line);
    if (!jwks && table.routes.some((route) => route.authorizer?.type === 'JWT')) {
      this.logs.note('API Gateway: JWT authorizers are skipped (set lambdaWorkbench.jwks to a JSON Web Key Set file to check tokens).');
    }
    return server;
  }
}

/** A relative lambdaWorkbench.jwks path is relative to the first workspace folder. */
function resolveInWorkspace(file: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder && !/^([a-zA-Z]:)?[\\/]/.test(file) ? vscode.Uri.joinPath(folder.uri, file).fsPath : file;
}
