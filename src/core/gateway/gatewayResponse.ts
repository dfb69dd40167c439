// Maps a Lambda integration's result to the client's HTTP response: payload 2.0 inference rules, payload 1.0 proxy responses, gateway errors.
import type { GatewayApi } from './gatewayModel';
import { matchesMediaType } from './gatewayContext';

export interface GatewayResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** A gateway-generated error: `{"message":"..."}`, compact, as HTTP APIs and REST's own checks (routes, keys, authorizers) word it. */
export function gatewayError(status: number, message: string): GatewayResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ message })) };
}

/**
 * REST's default gateway responses for integration errors render `{"message":$context.error.messageString}`, and
 * messageString carries a leading space: `{"message": "Internal server error"}`. Recorded on AWS: an access log's
 * `"error_messageString": " \"Endpoint request timed out\""` (DataBiosphere/azul#6284), and a 413 body
 * `{"message": "Request Too Long"}` of content-length 31 (koki-develop/lgtm-generator#10).
 */
function restIntegrationError(status: number, message: string): GatewayResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: Buffer.from(`{"message": ${JSON.stringify(message)}}`) };
}

/** What the gateway answers when the integration fails or returns something it cannot use. */
export function integrationFailure(api: GatewayApi): GatewayResponse {
  return api.kind === 'REST' ? restIntegrationError(502, 'Internal server error') : gatewayError(500, 'Internal Server Error');
}

/**
 * The integration did not answer within its timeout. REST: 504 INTEGRATION_TIMEOUT (AWS "Gateway response types"
 * table) with "Endpoint request timed out" (DataBiosphere/azul#6284, recorded access log). HTTP APIs answer 503
 * `{"message":"Service Unavailable"}`: recorded as `HTTP/2 503`, `apigw-requestid`, content-length 33
 * (cortexlabs/cortex#1225), and reported for httpApi timeouts in serverless/serverless#11222.
 */
export function integrationTimeout(api: GatewayApi): GatewayResponse {
  return api.kind === 'REST' ? restIntegrationError(504, 'Endpoint request timed out') : gatewayError(503, 'Service Unavailable');
}

/**
 * A request body over API Gateway's 10 MB. REST, recorded (koki-develop/lgtm-generator#10): 413 with the text body
 * "HTTP content length exceeded 10485760 bytes." and content-type `text; charset=utf-8`. HTTP APIs: no recording was
 * found; they answer in their own `{"message"}` shape with the status's reason phrase (UNVERIFIED).
 */
export function requestTooLarge(kind: GatewayApi['kind'], limit: number): GatewayResponse {
  if (kind === 'HTTP') return gatewayError(413, 'Request Entity Too Large');
  return { status: 413, headers: { 'content-type': 'text; charset=utf-8' }, body: Buffer.from(`HTTP content length exceeded ${limit} bytes.`) };
}

/**
 * An event over Lambda's 6 MB invoke limit: REST answers 413 `{"message": "Request Too Long"}` (recorded,
 * koki-develop/lgtm-generator#10); HTTP APIs answer it as any failed invocation.
 */
export function eventTooLarge(api: GatewayApi): GatewayResponse {
  return api.kind === 'REST' ? restIntegrationError(413, 'Request Too Long') : integrationFailure(api);
}

/**
 * The function was throttled. HTTP APIs: 429 `{"message":"Too Many Requests"}`. REST proxy integrations do not pass
 * Lambda's 429 on: recorded as 500 `{"message": "Internal server error"}` with x-amzn-ErrorType
 * InternalServerErrorException (repost.aws "Inconsistencies in response codes depending on whether API Gateway
 * response settings are configured").
 */
export function throttled(api: GatewayApi): GatewayResponse {
  if (api.kind === 'HTTP') return gatewayError(429, 'Too Many Requests');
  const response = restIntegrationError(500, 'Internal server error');
  response.headers['x-amzn-errortype'] = 'InternalServerErrorException';
  return response;
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
