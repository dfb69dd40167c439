// Values every gateway event shares: stable API ids, the execute-api domain, added headers, and body encoding.
import { createHash, randomUUID } from 'node:crypto';
import { TEXT_TYPES } from '../api/functionUrlEvent';
import type { GatewayApi, GatewayRoute } from './gatewayModel';
import { headerValue, type GatewayRequest } from './gatewayRequest';

export interface GatewayIdentity {
  region: string;
  accountId: string;
}

/** A stable 10-character lower-case id per API, like a real API id (e.g. "a1b2c3d4e5"). */
export function apiId(api: GatewayApi): string {
  return createHash('sha256').update(`api:${api.id}`).digest('hex').slice(0, 10);
}

/** A stable 6-character resource id per REST route. */
export function resourceId(route: GatewayRoute): string {
  return createHash('sha256').update(`resource:${route.api.id}:${route.path}`).digest('hex').slice(0, 6);
}

export function domainName(api: GatewayApi, identity: GatewayIdentity): string {
  return `${apiId(api)}.execute-api.${identity.region}.amazonaws.com`;
}

/** The path as the deployed API sees it: named stages come first in the URL ($default has no prefix). */
export function stagePath(api: GatewayApi, path: string): string {
  return api.stageName === '$default' ? path : `/${api.stageName}${path}`;
}

/** Headers API Gateway adds before the integration sees the request (names as REST writes them). */
export function forwardedHeaders(request: GatewayRequest): [string, string][] {
  const added: [string, string][] = [];
  const traceId = `Root=1-${Math.floor(request.time.getTime() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  if (headerValue(request, 'x-amzn-trace-id') === undefined) added.push(['X-Amzn-Trace-Id', traceId]);
  const forwardedFor = headerValue(request, 'x-forwarded-for');
  added.push(['X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${request.sourceIp}` : request.sourceIp]);
  if (headerValue(request, 'x-forwarded-port') === undefined) added.push(['X-Forwarded-Port', String(request.localPort)]);
  if (headerValue(request, 'x-forwarded-proto') === undefined) added.push(['X-Forwarded-Proto', 'http']);
  return [...request.headerPairs.filter(([name]) => name.toLowerCase() !== 'x-forwarded-for'), ...added];
}

/** HTTP APIs send text bodies as text and everything else base64-encoded. */
export function isTextBody(request: GatewayRequest): boolean {
  return request.body.length === 0 || TEXT_TYPES.test(headerValue(request, 'content-type') ?? 'text/plain');
}

/** REST APIs base64-encode a body whose Content-Type is one of the API's binary media types (`*` wildcards allowed). */
export function matchesMediaType(contentType: string | undefined, binaryMediaTypes: readonly string[]): boolean {
  if (!contentType || !binaryMediaTypes.length) return false;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return binaryMediaTypes.some((pattern) => {
    const [patternType, patternSub] = pattern.toLowerCase().split('/');
    const [mainType, sub] = type.split('/');
    return (patternType === '*' || patternType === mainType) && (patternSub === '*' || patternSub === sub);
  });
}
