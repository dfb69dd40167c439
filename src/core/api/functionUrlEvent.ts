// Builds the payload format 2.0 event a function URL sends to its function (contract §7).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface UrlContext {
  urlId: string;
  region: string;
  accountId: string;
  authType: 'NONE' | 'AWS_IAM';
  /** The access key id of a request signed for an AWS_IAM URL. */
  accessKey?: string;
  /** The invocation's request id: requestContext.requestId, the END line's id and the response's x-amzn-RequestId. */
  requestId: string;
}

/** Content types whose bodies arrive as text; anything else is base64-encoded, as Lambda does. */
export const TEXT_TYPES = /^(text\/|application\/(json|javascript|xml|x-www-form-urlencoded|.*\+json|.*\+xml))/i;

export function functionUrlEvent(req: IncomingMessage, body: Buffer, ctx: UrlContext): Record<string, unknown> {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const rawPath = queryAt < 0 ? url : url.slice(0, queryAt);
  const rawQueryString = queryAt < 0 ? '' : url.slice(queryAt + 1);
  const headers = joinedHeaders(req);
  const cookieHeader = headers.cookie;
  delete headers.cookie;
  const domainName = `${ctx.urlId}.lambda-url.${ctx.region}.on.aws`;
  headers['x-amzn-trace-id'] ??= `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  headers['x-forwarded-for'] ??= req.socket.remoteAddress ?? '127.0.0.1';
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= String(req.socket.localPort ?? '');
  const now = new Date();
  const isText = body.length === 0 || TEXT_TYPES.test(headers['content-type'] ?? 'text/plain');
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: '$default',
    // As received: AWS does not percent-decode the path (and a malformed escape must not fail the request).
    rawPath,
    rawQueryString,
    ...(cookieHeader ? { cookies: cookieHeader.split(/;\s*/).filter(Boolean) } : {}),
    headers,
    ...(rawQueryString ? { queryStringParameters: queryParameters(rawQueryString) } : {}),
    requestContext: {
      accountId: ctx.authType === 'AWS_IAM' ? ctx.accountId : 'anonymous',
      apiId: ctx.urlId,
      ...(ctx.authType === 'AWS_IAM'
        ? { authorizer: { iam: { accessKey: ctx.accessKey ?? 'LOCALACCESSKEY', accountId: ctx.accountId, callerId: 'LOCALCALLER', cognitoIdentity: null, principalOrgId: null, userArn: `arn:aws:iam::${ctx.accountId}:user/local`, userId: 'LOCALCALLER' } } }
        : {}),
      domainName,
      domainPrefix: ctx.urlId,
      http: {
        method: req.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: ctx.requestId,
      routeKey: '$default',
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !isText,
  };
  return event;
}

/** Hop-by-hop headers (RFC 9110 7.6.1) end at the URL's front door; the function never sees them. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Header names lower-cased; repeated headers comma-joined; hop-by-hop headers, and those Connection names, dropped. */
function joinedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  const connectionNamed = new Set(
    String(req.headers.connection ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean),
  );
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] as string).toLowerCase();
    if (HOP_BY_HOP.has(name) || connectionNamed.has(name)) continue;
    const value = req.rawHeaders[i + 1] as string;
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  return headers;
}

/** Repeated keys are comma-joined: `a=1&a=2` gives `{ a: "1,2" }`. */
function queryParameters(raw: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    params[key] = params[key] === undefined ? value : `${params[key]},${value}`;
  }
  return params;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000` */
export function clfTime(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
