// Request documents for API routes (<template dir>/requests/<Function>/<method>-<path>.request.json): create, read, send, show the answer.
import * as path from 'node:path';
import { WorkbenchError } from '../../core/common/errors';
import { routeKey, type GatewayRoute } from '../../core/gateway/gatewayModel';
import type { FunctionSpec } from '../../core/template/functionSpec';

export const REQUEST_SUFFIX = '.request.json';

export interface RouteRequest {
  method: string;
  /** Path and query, e.g. /orders/42?verbose=1. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Where the request of a route is saved: beside the template, so it is kept with the workspace. */
export function requestFile(spec: FunctionSpec, route: GatewayRoute): string {
  const base = spec.templatePath ? path.dirname(spec.templatePath) : spec.codeDir;
  const name = `${route.method}${route.path === '$default' ? '-default' : route.path}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/-+$/, '');
  return path.join(base, 'requests', spec.logicalId, `${name}${REQUEST_SUFFIX}`);
}

/** A first request for a route: its method (GET for ANY), its path with each {parameter} as a value to edit. */
export function initialRequest(route: GatewayRoute): RouteRequest {
  const method = route.method === 'ANY' ? 'GET' : route.method;
  const withBody = !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(method);
  return {
    method,
    path: samplePath(route),
    headers: withBody ? { 'content-type': 'application/json' } : {},
    body: withBody ? '{}' : '',
  };
}

/** The route's path with `{id}` / `{proxy+}` replaced by their names, ready to open or edit. */
export function samplePath(route: GatewayRoute): string {
  return route.path === '$default' ? '/' : route.path.replace(/\{([^}+]+)\+?\}/g, '$1');
}

/** Reads a request document; errors: EVENT_INVALID with what is wrong. */
export function parseRequest(text: string, file: string): RouteRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new WorkbenchError('EVENT_INVALID', `${path.basename(file)} is not valid JSON: ${(error as Error).message}`, { location: { file } });
  }
  const request = value as Partial<RouteRequest> | null;
  if (typeof request !== 'object' || request === null || typeof request.method !== 'string' || typeof request.path !== 'string' || !request.path.startsWith('/')) {
    throw new WorkbenchError('EVENT_INVALID', `${path.basename(file)} needs "method" and "path" (starting with /).`, {
      location: { file },
      hint: 'For example {"method": "GET", "path": "/orders/42", "headers": {}, "body": ""}.',
    });
  }
  const headers = typeof request.headers === 'object' && request.headers !== null ? request.headers : {};
  return { method: request.method.toUpperCase(), path: request.path, headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])), body: typeof request.body === 'string' ? request.body : request.body === undefined ? '' : JSON.stringify(request.body) };
}

/** Sends the request to the gateway and returns the answer as an HTTP message (status line, headers, body). */
export async function sendRouteRequest(baseUrl: string, request: RouteRequest): Promise<{ status: number; text: string }> {
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body && !['GET', 'HEAD'].includes(request.method) ? { body: request.body } : {}),
  });
  const body = Buffer.from(await response.arrayBuffer());
  const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`);
  return { status: response.status, text: [`HTTP/1.1 ${response.status} ${response.statusText}`, ...headers, '', formatBody(body, response.headers.get('content-type'))].join('\n') };
}

function formatBody(body: Buffer, contentType: string | null): string {
  const text = body.toString('utf8');
  if (!/json/i.test(contentType ?? '')) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** `GET /orders/{id}` with the function, for titles. */
export function describeRoute(route: GatewayRoute): string {
  return `${routeKey(route)} -> ${route.functionId}`;
}
