// Maps a function's result to the HTTP response of a function URL (contract §7), buffered or streamed.
import type { ServerResponse } from 'node:http';

/**
 * A JSON string is sent unquoted; other JSON without statusCode is re-serialised compactly (recorded AWS behaviour).
 * `urlHeaders` (the URL's CORS headers) replace the function's headers of the same name.
 */
export function writeBufferedResponse(res: ServerResponse, payload: Buffer, requestId: string, urlHeaders: Record<string, string> = {}): void {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return sendInternalServerError(res, requestId);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !('statusCode' in value)) {
    const body = typeof value === 'string' ? value : JSON.stringify(value);
    return send(res, 200, { 'content-type': 'application/json', ...urlHeaders, 'x-amzn-RequestId': requestId }, Buffer.from(body));
  }
  const result = value as { statusCode: unknown; headers?: Record<string, unknown>; body?: unknown; cookies?: unknown; isBase64Encoded?: unknown };
  const headers: Record<string, string | string[]> = { 'content-type': 'application/json' };
  for (const [name, headerValue] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(headerValue);
  if (Array.isArray(result.cookies) && result.cookies.length) headers['set-cookie'] = result.cookies.map(String);
  Object.assign(headers, urlHeaders);
  headers['x-amzn-RequestId'] = requestId;
  const bodyText = typeof result.body === 'string' ? result.body : result.body === undefined ? '' : JSON.stringify(result.body);
  const body = result.isBase64Encoded === true ? Buffer.from(bodyText, 'base64') : Buffer.from(bodyText);
  send(res, Number(result.statusCode) || 200, headers, body);
}

/** What a function URL answers when the function failed or returned what it cannot map: 502 and this plain text. */
export function sendInternalServerError(res: ServerResponse, requestId: string): void {
  send(res, 502, { 'content-type': 'text/plain; charset=utf-8', 'x-amzn-RequestId': requestId }, Buffer.from('Internal Server Error'));
}

function send(res: ServerResponse, status: number, headers: Record<string, string | string[]>, body: Buffer): void {
  res.writeHead(status, { ...headers, 'content-length': body.length });
  res.end(body);
}

const PRELUDE_SEPARATOR = Buffer.alloc(8);
const MAX_PRELUDE_BYTES = 64 * 1024;

/**
 * Writes a RESPONSE_STREAM function's chunks as they arrive. A body of type
 * application/vnd.awslambda.http-integration-response starts with a JSON prelude (status, headers, cookies) and 8 NUL bytes.
 */
export class StreamedResponse {
  private pending: Buffer = Buffer.alloc(0);
  private started = false;
  /** Whether the function streamed anything (a handler that is not streamified only returns a value). */
  receivedChunks = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly requestId: string,
    /** The URL's CORS headers: they replace the function's headers of the same name. */
    private readonly urlHeaders: Record<string, string> = {},
  ) {}

  write(chunk: Buffer): void {
    this.receivedChunks = true;
    if (this.started) {
      this.res.write(chunk);
      return;
    }
    this.pending = Buffer.concat([this.pending, chunk]);
    const end = this.pending.indexOf(PRELUDE_SEPARATOR);
    if (end === -1) {
      // A prelude is a JSON object that comes first; anything else is plain body data.
      if (this.pending[0] !== 0x7b || this.pending.length > MAX_PRELUDE_BYTES) this.flushPlain();
      return;
    }
    let prelude: { statusCode?: number; headers?: Record<string, string>; cookies?: string[] } = {};
    try {
      prelude = JSON.parse(this.pending.subarray(0, end).toString('utf8'));
    } catch {
      this.flushPlain();
      return;
    }
    this.begin(prelude.headers ?? {}, prelude.statusCode ?? 200, prelude.cookies);
    const rest = this.pending.subarray(end + PRELUDE_SEPARATOR.length);
    if (rest.length) this.res.write(rest);
  }

  /** Ends the response; a stream that never sent a prelude is plain octet-stream data. */
  end(): void {
    if (!this.started) this.flushPlain();
    this.res.end();
  }

  private flushPlain(): void {
    this.begin({}, 200);
    if (this.pending.length) this.res.write(this.pending);
    this.pending = Buffer.alloc(0);
  }

  private begin(headers: Record<string, string>, status: number, cookies?: string[]): void {
    this.started = true;
    const all: Record<string, string | string[]> = { 'content-type': 'application/octet-stream', ...lowerCase(headers) };
    if (cookies?.length) all['set-cookie'] = cookies;
    Object.assign(all, this.urlHeaders);
    all['x-amzn-RequestId'] = this.requestId;
    this.res.writeHead(status, all);
  }
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}
