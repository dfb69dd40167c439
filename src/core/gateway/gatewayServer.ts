// The local API Gateway: one loopback port for every API of the workspace, routing each request to its function through LambdaService.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { answerUnparsableRequests, closeServer, listenLoopback, LOOPBACK_SERVER_OPTIONS, LoopbackHosts } from '../api/httpServer';
import { readBody } from '../api/requestBody';
import { ServiceError } from '../service/invocation';
import { AuthorizerCache } from './authorizerCache';
import { corsResponseHeaders, isPreflight, preflightResponse } from './corsResponses';
import type { GatewayIdentity } from './gatewayContext';
import { INTEGRATION_TIMEOUT_MS, routeKey, type GatewayRoute } from './gatewayModel';
import { gatewayRequest, headerValue, requestMethod, requestPath, type GatewayRequest } from './gatewayRequest';
import { eventTooLarge, gatewayError, integrationFailure, integrationTimeout, requestTooLarge, responseV1, responseV2, throttled, type GatewayResponse } from './gatewayResponse';
import { httpApiEvent } from './httpApiEvent';
import { iamAuthorizerContext, type IamCredentials } from './iamAuthorization';
import type { JsonWebKeySet } from './jwtAuthorizer';
import type { Invoke } from './lambdaAuthorizer';
import { proxyEventV1 } from './proxyEventV1';
import { authorizeRoute } from './routeAuthorization';
import { matchRoute, type RouteMatch } from './routeMatcher';
import type { RouteTable } from './routeTable';

/** API Gateway's payload limit for requests. */
export const GATEWAY_REQUEST_LIMIT = 10 * 1024 * 1024;

export interface GatewayService {
  invoke: Invoke;
}

export interface GatewayOptions {
  /** 0 picks a free port. */
  port: number;
  region?: string;
  accountId?: string;
  /** Overrides every route's integration timeout (`start --api-timeout`). */
  timeoutMs?: number;
  jwks?: JsonWebKeySet;
  /** Credentials whose SigV4 signatures AWS_IAM routes accept (none: every signed request is refused). */
  iamCredentials?: IamCredentials[];
  /** Called once per answered request (method, path, route, function, status), for access logs. */
  onRequest?: (entry: GatewayLogEntry) => void;
}

export interface GatewayLogEntry {
  method: string;
  path: string;
  status: number;
  route?: GatewayRoute;
}

export interface GatewayServer {
  port: number;
  url: string;
  /** The routes served now. */
  readonly table: RouteTable;
  /** Swaps the route table (after a template reload); requests in flight finish on the old one. */
  setTable(table: RouteTable): void;
  close(): Promise<void>;
}

/** Starts the gateway on 127.0.0.1. Errors: PORT_IN_USE. */
export async function startGateway(service: GatewayService, initialTable: RouteTable, options: GatewayOptions): Promise<GatewayServer> {
  let table = initialTable;
  const authorizerCache = new AuthorizerCache();
  const identity: GatewayIdentity = { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '123456789012' };
  const allowedHosts = new LoopbackHosts('serve-pages');
  const server = createServer(LOOPBACK_SERVER_OPTIONS, (req, res) => {
    // DNS rebinding and cross-site defence, as on the Invoke API: a foreign Host name or page Origin is refused.
    const refusal = allowedHosts.refusal(req);
    if (refusal !== undefined) {
      req.resume();
      return send(res, gatewayError(403, refusal));
    }
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, gatewayError(500, 'Internal Server Error'));
      else res.destroy();
    });
  });
  // Malformed HTTP gets API Gateway's {"message"} error and a closed socket; the server carries on.
  answerUnparsableRequests(server, (status, message) => {
    const { headers, body } = gatewayError(status, message);
    return { status, headers: headers as Record<string, string>, body: body.toString('utf8') };
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const current = table;
    const allHttp = current.apis.every((api) => api.kind === 'HTTP');
    const log = (status: number, route?: GatewayRoute) => options.onRequest?.({ method: req.method ?? '', path: req.url ?? '', status, ...(route ? { route } : {}) });
    // The route is known before the body is read: an oversized body is answered in its API's words.
    const match = matchRoute(current.routes, requestMethod(req), requestPath(req));
    const { body } = await readBody(req, GATEWAY_REQUEST_LIMIT);
    if (!body) {
      log(413, match?.route);
      return send(res, requestTooLarge(match?.route.api.kind ?? (allHttp ? 'HTTP' : 'REST'), GATEWAY_REQUEST_LIMIT));
    }
    const request = gatewayRequest(req, body);
    if (isPreflight(request)) {
      // Any route on the path (whatever its method) tells which API's CORS configuration answers.
      const onPath = matchRoute(current.routes.map((route) => ({ ...route, method: 'ANY' })), 'OPTIONS', request.rawPath);
      const cors = onPath?.route.api.cors;
      if (cors) {
        log(204, onPath.route);
        return send(res, preflightResponse(cors, request));
      }
    }
    if (!match) {
      log(allHttp ? 404 : 403);
      return send(res, allHttp ? gatewayError(404, 'Not Found') : gatewayError(403, 'Missing Authentication Token'));
    }
    const response = await answer(request, match);
    const { api } = match.route;
    if (api.kind === 'HTTP' && api.cors) Object.assign(response.headers, corsResponseHeaders(api.cors, request));
    response.headers[api.kind === 'HTTP' ? 'apigw-requestid' : 'x-amzn-requestid'] = request.requestId;
    log(response.status, match.route);
    send(res, response);
  }

  async function answer(request: GatewayRequest, match: RouteMatch): Promise<GatewayResponse> {
    const { route } = match;
    const authorization = await authorizeRoute((invocation) => service.invoke(invocation), request, match, {
      identity,
      cache: authorizerCache,
      iamCredentials: options.iamCredentials ?? [],
      ...(options.jwks ? { jwks: options.jwks } : {}),
    });
    if (!authorization.allowed) return authorization.response;
    const { authorizer, apiKey, iamCaller } = authorization;
    const event = route.payloadFormat === '2.0'
      ? httpApiEvent(request, match, identity, iamCaller ? { iam: iamAuthorizerContext(iamCaller) } : authorizer)
      : proxyEventV1(request, match, identity, {
        ...(authorizer !== undefined ? { authorizer } : {}),
        ...(apiKey !== undefined ? { apiKey } : {}),
        ...(iamCaller ? { iamCaller } : {}),
      });
    const timeoutMs = options.timeoutMs ?? route.timeoutMs ?? INTEGRATION_TIMEOUT_MS[route.api.kind];
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    try {
      const invocation = service.invoke({ functionName: route.functionName, payload: Buffer.from(JSON.stringify(event)) });
      // The invocation carries on after a gateway timeout, as it does on AWS; its outcome is then only logged.
      invocation.catch(() => undefined);
      const result = await Promise.race([invocation, timedOut]);
      if (result === 'timeout') return integrationTimeout(route.api);
      if (result.functionError) return integrationFailure(route.api);
      const mapped = route.payloadFormat === '2.0' ? responseV2(result.payload) : responseV1(result.payload, route.api, headerValue(request, 'accept'));
      return mapped ?? integrationFailure(route.api);
    } catch (error) {
      if (error instanceof ServiceError && error.code === 'TooManyRequestsException') return throttled(route.api);
      if (error instanceof ServiceError && error.code === 'RequestTooLargeException') return eventTooLarge(route.api);
      return integrationFailure(route.api);
    } finally {
      clearTimeout(timer);
    }
  }

  const port = await listenLoopback(server, options.port, '127.0.0.1',
    'Stop the program using it, or choose another port (for example --api-port 3005, or 0 for any free port).');
  allowedHosts.allowPort(port);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get table() {
      return table;
    },
    setTable(next) {
      table = next;
      authorizerCache.clear();
    },
    close: () => closeServer(server),
  };
}

function send(res: ServerResponse, response: GatewayResponse): void {
  res.writeHead(response.status, { ...response.headers, 'content-length': response.body.length });
  res.end(response.body);
}

/**
 * `GET http://127.0.0.1:3000/orders/{id} -> OrdersFunction` lines, one per route, for start-up output. A route whose path
 * another API also serves is shown with its stage name first, which reaches it whatever the other API declares.
 */
export function describeRoutes(url: string, table: RouteTable): string[] {
  return table.routes.map((route) => {
    const shadowed = table.routes.some((other) => other.api !== route.api && routeKey(other) === routeKey(route));
    const prefix = shadowed && route.api.stageName !== '$default' ? `/${route.api.stageName}` : '';
    const target = `${url}${prefix}${route.path === '$default' ? '/*' : route.path}`;
    const method = route.path === '$default' ? 'ANY' : route.method;
    const details = [route.api.kind === 'REST' ? 'REST' : `HTTP, payload ${route.payloadFormat}`, route.authorizer ? `authorizer ${route.authorizer.name}` : '', route.iamAuth ? 'AWS_IAM' : '', route.apiKeyRequired ? 'API key' : '']
      .filter(Boolean).join(', ');
    return `  ${method} ${target} -> ${route.functionId}  (${route.api.id}, ${details})`;
  });
}
