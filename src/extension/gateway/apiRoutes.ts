// The API Gateway routes of the workspace's templates, re-read after every catalog reload (for the view and the gateway).
import * as vscode from 'vscode';
import { errorMessage } from '../../core/common/errors';
import type { GatewayRoute } from '../../core/gateway/gatewayModel';
import type { RouteTable } from '../../core/gateway/routeTable';
import type { FunctionSpec } from '../../core/template/functionSpec';
import { onDidChangeSettings, readSettings } from '../platform/settings';
import type { FunctionCatalog } from '../services/functionCatalog';

export class ApiRoutes implements vscode.Disposable {
  private loading: Promise<RouteTable> | undefined;
  private readonly changeEmitter = new vscode.EventEmitter<RouteTable>();
  /** Fires with the new table after the templates changed. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscriptions: vscode.Disposable[];
  /** Why the routes could not be read (a route to a missing function...), shown in the view; undefined when fine. */
  problem: string | undefined;

  constructor(private readonly catalog: FunctionCatalog) {
    const reload = () => {
      this.loading = undefined;
      void this.current().then((table) => this.changeEmitter.fire(table));
    };
    // The lambdaWorkbench.apiKeys setting joins each REST API's keys.
    this.subscriptions = [catalog.onDidChange(reload), onDidChangeSettings(['apiKeys'], reload)];
  }

  /** The route table of the current templates (without the routes of a template that cannot be read; see `problem`). */
  current(): Promise<RouteTable> {
    this.loading ??= this.load();
    return this.loading;
  }

  async routesOf(spec: FunctionSpec): Promise<GatewayRoute[]> {
    return (await this.current()).routes.filter((route) => route.functionId === spec.logicalId && route.location?.file === spec.templatePath);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changeEmitter.dispose();
  }

  private async load(): Promise<RouteTable> {
    await this.catalog.ready();
    const [{ readRouteTable }, { FunctionRegistry }] = await Promise.all([
      import('../../core/gateway/routeTable.js'),
      import('../../core/service/functionRegistry.js'),
    ]);
    // Each template on its own: one that cannot be read (a route to a missing function, a template being rewritten)
    // costs only its own routes.
    const byTemplate = new Map<string | undefined, FunctionSpec[]>();
    for (const spec of this.catalog.functions()) byTemplate.set(spec.templatePath, [...(byTemplate.get(spec.templatePath) ?? []), spec]);
    const table: RouteTable = { apis: [], routes: [], warnings: [] };
    const problems: string[] = [];
    for (const specs of byTemplate.values()) {
      try {
        const part = await readRouteTable(FunctionRegistry.fromSpecs(specs), { apiKeys: readSettings().apiKeys });
        table.apis.push(...part.apis);
        table.routes.push(...part.routes);
        table.warnings.push(...part.warnings);
      } catch (error) {
        problems.push(errorMessage(error));
      }
    }
    this.problem = problems.length ? problems.join('\n') : undefined;
    return table;
  }
}
