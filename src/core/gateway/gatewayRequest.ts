// One client request as the gateway sees it: method, raw path and query, headers in order, body, caller, and times.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface GatewayRequest {
  method: string;
  /** Path as sent (percent-encoded), without the query. */
  rawPath: string;
  /** Query string without `?`. */
  rawQueryString: string;
  /** Header name/value pairs in arrival order, names as sent. */
  headerPairs: [string, string][];
  body: Buffer;
  sourceIp: string;
  protocol: string;
  requestId: string;
  /** Port the client connected to (x-forwarded-port). */
  localPort: number;
  time: Date;
}

export function requestMethod(req: IncomingMessage): string {
  return (req.method ?? 'GET').toUpperCase();
}

/** The path as sent (percent-encoded), without the query. */
export function requestPath(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  return queryAt < 0 ? url : url.slice(0, queryAt);
}

export function gatewayRequest(req: IncomingMessage, body: Buffer): GatewayRequest {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const headerPairs: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) headerPairs.push([req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string]);
  return {
    method: requestMethod(req),
    rawPath: requestPath(req),
    rawQueryString: queryAt < 0 ? '' : url.slice(queryAt + 1),
    headerPairs,
    body,
    sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    protocol: `HTTP/${req.httpVersion}`,
    requestId: randomUUID(),
    localPort: req.socket.localPort ?? 0,
    time: new Date(),
  };
}

/** The last value of a header (case-insensitive), as API Gateway's single-value maps keep it. */
export function headerValue(request: GatewayRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  let value: string | undefined;
  for (const [key, item] of request.headerPairs) if (key.toLowerCase() === lower) value = item;
  return value;
}

/** Percent-decoding that leaves malformed escapes as they are (a request never fails on them). */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Query pairs in order; `+` is a space, as URLSearchParams reads it. */
export function queryPairs(rawQueryString: string): [string, string][] {
  return [...new URLSearchParams(rawQueryString)];
}
