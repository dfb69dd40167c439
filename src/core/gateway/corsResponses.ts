// CORS answered by the gateway: preflight OPTIONS requests without invoking anything, and CORS headers on HTTP API responses.
import type { CorsConfig } from './gatewayModel';
import { headerValue, type GatewayRequest } from './gatewayRequest';
import type { GatewayResponse } from './gatewayResponse';

function allowedOrigin(cors: CorsConfig, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  if (cors.allowOrigins.includes('*')) return cors.allowCredentials ? origin : '*';
  return cors.allowOrigins.some((allowed) => allowed.toLowerCase() === origin.toLowerCase()) ? origin : undefined;
}

/** A CORS preflight: OPTIONS with Origin and Access-Control-Request-Method. */
export function isPreflight(request: GatewayRequest): boolean {
  return request.method === 'OPTIONS' && headerValue(request, 'origin') !== undefined && headerValue(request, 'access-control-request-method') !== undefined;
}

/** The gateway's own answer to a preflight: 204, with CORS headers only when the origin is allowed. */
export function preflightResponse(cors: CorsConfig, request: GatewayRequest): GatewayResponse {
  const origin = allowedOrigin(cors, headerValue(request, 'origin'));
  const headers: Record<string, string> = {};
  if (origin) {
    headers['access-control-allow-origin'] = origin;
    const requestedHeaders = headerValue(request, 'access-control-request-headers');
    const allowHeaders = cors.allowHeaders.includes('*') ? requestedHeaders : cors.allowHeaders.join(',');
    const allowMethods = cors.allowMethods.includes('*') ? headerValue(request, 'access-control-request-method') : cors.allowMethods.join(',');
    if (allowMethods) headers['access-control-allow-methods'] = allowMethods;
    if (allowHeaders) headers['access-control-allow-headers'] = allowHeaders;
    if (cors.allowCredentials) headers['access-control-allow-credentials'] = 'true';
    if (cors.maxAgeSeconds !== undefined) headers['access-control-max-age'] = String(cors.maxAgeSeconds);
    if (origin !== '*') headers.vary = 'Origin';
  }
  return { status: 204, headers, body: Buffer.alloc(0) };
}

/** Headers an HTTP API with CORS adds to every response to an allowed origin. */
export function corsResponseHeaders(cors: CorsConfig, request: GatewayRequest): Record<string, string> {
  const origin = allowedOrigin(cors, headerValue(request, 'origin'));
  if (!origin) return {};
  return {
    'access-control-allow-origin': origin,
    ...(cors.allowCredentials ? { 'access-control-allow-credentials': 'true' } : {}),
    ...(cors.exposeHeaders.length ? { 'access-control-expose-headers': cors.exposeHeaders.join(',') } : {}),
    ...(origin !== '*' ? { vary: 'Origin' } : {}),
  };
}
