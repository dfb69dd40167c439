// Maps a Lambda integration's result to the client's HTTP response: payload 2.0 inference rules, payload 1.0 proxy responses, gateway errors.
import type { GatewayApi } from './gatewayModel';
import { matchesMediaType } from './gatewayContext';

export interface GatewayResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** A gateway-generated error: `{"message": ...}` as API Gateway words it. */
export function gatewayError(status: number, message: string): GatewayResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ message })) };
}

/** What the gateway answers when the integration fails or returns something it cannot use. */
export function integrationFailure(api: GatewayApi): GatewayResponse {
  return api.kind === 'REST' ? gatewayError(502, 'Internal server error') : gatewayError(500, 'Internal Server Error');
}

function parse(payload: Buffer): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(payload.toString('utf8')) };
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headerText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function statusOf(value: unknown): number | undefined {
  const status = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;
}

/**
 * Payload format 2.0: an object with statusCode is a response; any other JSON is a 200 application/json body
 * (a JSON string is sent without its quotes, as recorded on AWS). Undefined when the payload is not JSON.
 */
export function responseV2(payload: Buffer): GatewayResponse | undefined {
  const parsed = parse(payload);
  if (!parsed) return undefined;
  const { value } = parsed;
  if (!isObject(value) || !('statusCode' in value)) {
    const body = typeof value === 'string' ? value : JSON.stringify(value);
    return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
  }
  const status = statusOf(value.statusCode);
  if (status === undefined) return undefined;
  const headers: Record<string, string | string[]> = {};
  if (isObject(value.headers)) for (const [name, item] of Object.entries(value.headers)) headers[name.toLowerCase()] = headerText(item);
  headers['content-type'] ??= 'application/json';
  if (Array.isArray(value.cookies) && value.cookies.length) headers['set-cookie'] = value.cookies.map(String);
  const text = typeof value.body === 'string' ? value.body : value.body === undefined || value.body === null ? '' : JSON.stringify(value.body);
  return { status, headers, body: value.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text) };
}

const V1_FIELDS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/**
 * Payload format 1.0 ({statusCode, headers, multiValueHeaders, body, isBase64Encoded}); undefined when malformed.
 * REST APIs decode a base64 body only when the client accepts one of the API's binary media types.
 */
export function responseV1(payload: Buffer, api: GatewayApi, accept: string | undefined): GatewayResponse | undefined {
  const parsed = parse(payload);
  if (!parsed || !isObject(parsed.value)) return undefined;
  const value = parsed.value;
  const status = statusOf(value.statusCode);
  if (status === undefined) return undefined;
  if (api.kind === 'REST' && Object.keys(value).some((key) => !V1_FIELDS.has(key))) return undefined;
  if (value.body !== undefined && value.body !== null && typeof value.body !== 'string') return undefined;
  if (value.headers !== undefined && value.headers !== null && !isObject(value.headers)) return undefined;
  if (value.multiValueHeaders !== undefined && value.multiValueHeaders !== null && !isObject(value.multiValueHeaders)) return undefined;
  const headers: Record<string, string | string[]> = {};
  for (const [name, item] of Object.entries(isObject(value.headers) ? value.headers : {})) headers[name.toLowerCase()] = headerText(item);
  for (const [name, items] of Object.entries(isObject(value.multiValueHeaders) ? value.multiValueHeaders : {})) {
    if (!Array.isArray(items)) return undefined;
    // A header in both maps takes the multiValueHeaders values, as API Gateway merges them.
    headers[name.toLowerCase()] = items.map(headerText);
  }
  headers['content-type'] ??= 'application/json';
  const text = typeof value.body === 'string' ? value.body : '';
  const decode = value.isBase64Encoded === true
    && (api.kind === 'HTTP' || (accept ?? '').split(',').some((type) => matchesMediaType(type, api.binaryMediaTypes)));
  return { status, headers, body: decode ? Buffer.from(text, 'base64') : Buffer.from(text) };
}
