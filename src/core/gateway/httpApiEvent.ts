// Builds the payload format 2.0 event an HTTP API sends to its Lambda integration.
import { clfTime } from '../api/functionUrlEvent';
import { routeKey } from './gatewayModel';
import { apiId, domainName, forwardedHeaders, isTextBody, stagePath, type GatewayIdentity } from './gatewayContext';
import { queryPairs, type GatewayRequest } from './gatewayRequest';
import type { RouteMatch } from './routeMatcher';

/** Header names lower-cased, repeated headers comma-joined; the Cookie header moves to `cookies`. */
function joinHeaders(pairs: [string, string][]): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [rawName, value] of pairs) {
    const name = rawName.toLowerCase();
    if (name === 'cookie') cookies.push(...value.split(/;\s*/).filter(Boolean));
    else headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  return { headers, cookies };
}

/** `authorizer` is the requestContext.authorizer an authorizer produced ({lambda: ...} or {jwt: ...}), if any. */
export function httpApiEvent(request: GatewayRequest, match: RouteMatch, identity: GatewayIdentity, authorizer?: unknown): Record<string, unknown> {
  const { route } = match;
  const { headers, cookies } = joinHeaders(forwardedHeaders(request));
  const query: Record<string, string> = {};
  for (const [key, value] of queryPairs(request.rawQueryString)) query[key] = query[key] === undefined ? value : `${query[key]},${value}`;
  const path = stagePath(route.api, match.path);
  const id = apiId(route.api);
  const text = isTextBody(request);
  const key = routeKey(route);
  const stageVariables = route.api.stageVariables;
  return {
    version: '2.0',
    routeKey: key,
    rawPath: path,
    rawQueryString: request.rawQueryString,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(request.rawQueryString ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: identity.accountId,
      apiId: id,
      ...(authorizer !== undefined ? { authorizer } : {}),
      domainName: domainName(route.api, identity),
      domainPrefix: id,
      http: {
        method: request.method,
        path,
        protocol: request.protocol,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: key,
      stage: route.api.stageName,
      time: clfTime(request.time),
      timeEpoch: request.time.getTime(),
    },
    ...(request.body.length ? { body: text ? request.body.toString('utf8') : request.body.toString('base64') } : {}),
    ...(match.pathParameters ? { pathParameters: match.pathParameters } : {}),
    isBase64Encoded: !text,
    ...(Object.keys(stageVariables).length ? { stageVariables } : {}),
  };
}
