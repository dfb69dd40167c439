// Starts the workspace's API Gateway for a host (`lambda-workbench start`, the extension): route table, server, template reloads.
import { readFile } from 'node:fs/promises';
import { WorkbenchError, errorMessage } from '../common/errors';
import type { FunctionRegistry } from '../service/functionRegistry';
import type { ChangeWatcher } from '../watch/changeWatcher';
import type { GatewayOptions, GatewayServer, GatewayService } from './gatewayServer';
import type { GatewayRoute } from './gatewayModel';
import type { IamCredentials } from './iamAuthorization';
import type { JsonWebKeySet } from './jwtAuthorizer';
import { readRouteTable, type RouteTable, type RouteTableOptions } from './routeTable';

export interface LocalGatewayOptions extends Omit<GatewayOptions, 'jwks'>, RouteTableOptions {
  /** A JSON Web Key Set file for JWT authorizers. */
  jwksFile?: string;
  /** Re-read the routes when a template changes. */
  watchTemplates?: boolean;
  /** Receives the lines to show after a reload (the new routes, or why the old ones stay). */
  onReload?: (lines: string[]) => void;
}

export interface LocalGateway {
  server: GatewayServer;
  /** Lines for the user: the port, each route with its function, and warnings. */
  summary(): string[];
  /** Re-reads the templates; a template error keeps the routes served now. */
  reload(): Promise<string[]>;
  close(): Promise<void>;
}

/** Reads a JWKS file ({"keys": [...]}); errors: USAGE with the reason. */
export async function readJwksFile(file: string): Promise<JsonWebKeySet> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new WorkbenchError('USAGE', `Cannot read the JWKS file ${file}: ${(error as Error).message}`, { hint: 'Pass a JSON file of the form {"keys": [ ...JWK... ]}.' });
  }
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { keys?: unknown }).keys)) {
    throw new WorkbenchError('USAGE', `The JWKS file ${file} has no "keys" list.`, { hint: 'A JWKS is a JSON object of the form {"keys": [ ...JWK... ]}.' });
  }
  return value as JsonWebKeySet;
}

function authorizationWarnings(table: RouteTable, jwks: JsonWebKeySet | undefined, iamCredentials: readonly IamCredentials[]): string[] {
  const names = (routes: GatewayRoute[]) => routes.map((route) => `${route.method} ${route.path}`).join(', ');
  const jwtRoutes = table.routes.filter((route) => route.authorizer?.type === 'JWT');
  const iamRoutes = table.routes.filter((route) => route.iamAuth);
  return [
    ...(jwks || !jwtRoutes.length ? [] : [`JWT authorizers are skipped (no JWKS given with --jwks or lambdaWorkbench.jwks): ${names(jwtRoutes)} accept any caller.`]),
    ...(iamCredentials.length || !iamRoutes.length ? [] : [
      `AWS_IAM routes refuse every request until the gateway knows the credentials callers sign with (--iam-credentials ID:SECRET, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY): ${names(iamRoutes)}.`,
    ]),
  ];
}

/** Undefined when the templates declare no API. Errors: TEMPLATE_INVALID (file:line), PORT_IN_USE, USAGE (JWKS file). */
export async function startLocalGateway(service: GatewayService, registry: FunctionRegistry, options: LocalGatewayOptions): Promise<LocalGateway | undefined> {
  const tableOptions: RouteTableOptions = {
    ...(options.parameterOverrides ? { parameterOverrides: options.parameterOverrides } : {}),
    ...(options.apiKeys ? { apiKeys: options.apiKeys } : {}),
  };
  const table = await readRouteTable(registry, tableOptions);
  if (!table.apis.length) return undefined;
  // The server and the template watcher (chokidar) are loaded only for a template with an API.
  const { describeRoutes, startGateway } = await import('./gatewayServer.js');
  const jwks = options.jwksFile === undefined ? undefined : await readJwksFile(options.jwksFile);
  const server = await startGateway(service, table, { ...options, ...(jwks ? { jwks } : {}) });
  const summary = (): string[] => [
    `API Gateway listening on ${server.url} (${server.table.routes.length} route${server.table.routes.length === 1 ? '' : 's'}):`,
    ...describeRoutes(server.url, server.table),
    ...[...server.table.warnings, ...authorizationWarnings(server.table, jwks, options.iamCredentials ?? [])].map((warning) => `  warning: ${warning}`),
  ];
  const reload = async (): Promise<string[]> => {
    try {
      server.setTable(await readRouteTable(registry, tableOptions));
      return ['API Gateway routes reloaded:', ...summary().slice(1)];
    } catch (error) {
      return [`API Gateway routes not reloaded (the previous routes stay): ${errorMessage(error)}`];
    }
  };
  let watcher: ChangeWatcher | undefined;
  const templates = [...new Set(registry.list().flatMap((spec) => (spec.templatePath ? [spec.templatePath] : [])))];
  if (options.watchTemplates && templates.length) {
    try {
      const { ChangeWatcher } = await import('../watch/changeWatcher.js');
      watcher = await ChangeWatcher.start(templates);
    } catch (error) {
      await server.close();
      throw error;
    }
    watcher.onDidChange(() => void reload().then((lines) => options.onReload?.(lines)));
  }
  return {
    server,
    summary,
    reload,
    close: async () => {
      await watcher?.dispose();
      await server.close();
    },
  };
}
