// A request to send through an API route (method, path, headers, body): read from request documents and launch configurations, turned into the route's event.
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { WorkbenchError } from '../common/errors';
import { assertEventJson } from '../events/eventJson';
import type { FunctionRegistry } from '../service/functionRegistry';
import type { GatewayIdentity } from './gatewayContext';
import type { GatewayRoute } from './gatewayModel';
import type { GatewayRequest } from './gatewayRequest';
import { httpApiEvent } from './httpApiEvent';
import { proxyEventV1 } from './proxyEventV1';
import { matchRoute } from './routeMatcher';
import { readRouteTable, type RouteTableOptions } from './routeTable';

export interface RouteRequest {
  method: string;
  /** Path and query, e.g. /orders/42?verbose=1. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Reads a request ({"method", "path", "headers", "body"}) from JSON text; errors: EVENT_INVALID saying what is wrong. */
export function parseRouteRequest(text: string, file: string): RouteRequest {
  assertEventJson(text, { file }, { kind: 'request document', hint: 'A request document is {"method", "path", "headers", "body"} in JSON.' });
  return checkRouteRequest(JSON.parse(text), file);
}

/** Checks a request value; `where` names it in errors (a file, or a launch attribute). */
export function checkRouteRequest(value: unknown, where: string): RouteRequest {
  const request = value as Partial<Record<keyof RouteRequest, unknown>> | null;
  if (typeof request !== 'object' || request === null || typeof request.method !== 'string' || typeof request.path !== 'string' || !request.path.startsWith('/')) {
    throw new WorkbenchError('EVENT_INVALID', `${path.basename(where)} needs "method" and "path" (starting with /).`, {
      ...(path.isAbsolute(where) ? { location: { file: where } } : {}),
      hint: 'For example {"method": "GET", "path": "/orders/42", "headers": {}, "body": ""}.',
    });
  }
  const headers = typeof request.headers === 'object' && request.headers !== null ? (request.headers as Record<string, unknown>) : {};
  return {
    method: request.method.toUpperCase(),
    path: request.path,
    headers: Object.fromEntries(Object.entries(headers).map(([name, item]) => [name, String(item)])),
    body: typeof request.body === 'string' ? request.body : request.body === undefined || request.body === null ? '' : JSON.stringify(request.body),
  };
}

/**
 * The event API Gateway would send for `request` on the templates' routes (authorizers are not run), and the route it
 * reaches: how a handler is debugged through its route. Errors: USAGE when no route matches.
 */
export async function routeRequestEvent(
  registry: FunctionRegistry,
  request: RouteRequest,
  options: RouteTableOptions & Partial<GatewayIdentity> = {},
): Promise<{ route: GatewayRoute; payload: Buffer }> {
  const table = await readRouteTable(registry, options);
  const queryAt = request.path.indexOf('?');
  const gatewayRequest: GatewayRequest = {
    method: request.method,
    rawPath: queryAt < 0 ? request.path : request.path.slice(0, queryAt),
    rawQueryString: queryAt < 0 ? '' : request.path.slice(queryAt + 1),
    headerPairs: [['Host', 'localhost'], ...Object.entries(request.headers)],
    body: Buffer.from(request.body),
    sourceIp: '127.0.0.1',
    protocol: 'HTTP/1.1',
    requestId: randomUUID(),
    localPort: 443,
    time: new Date(),
  };
  const match = matchRoute(table.routes, gatewayRequest.method, gatewayRequest.rawPath);
  if (!match) {
    const routes = table.routes.map((route) => `${route.method} ${route.path}`).join(', ') || 'none';
    throw new WorkbenchError('USAGE', `No API route of the template matches ${request.method} ${gatewayRequest.rawPath}.`, { hint: `Routes: ${routes}.` });
  }
  const identity: GatewayIdentity = { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '123456789012' };
  const event = match.route.payloadFormat === '2.0' ? httpApiEvent(gatewayRequest, match, identity) : proxyEventV1(gatewayRequest, match, identity);
  return { route: match.route, payload: Buffer.from(JSON.stringify(event)) };
}
