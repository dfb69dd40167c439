// Turns a runtime's POST .../error or /init/error request into the error type and body the invoker sees; runs in the engine.
import type { IncomingHttpHeaders } from 'node:http';
import { REQUEST_HEADER } from './apiResponses';

/** The body variant that carries an X-Ray error cause next to the error (Runtime API docs). */
const ERROR_CAUSE_CONTENT_TYPE = 'application/vnd.aws.lambda.error.cause+json';
const INVALID_ERROR_BODY = Buffer.from('"Invalid error body"');
const UNKNOWN_ERROR_TYPE = 'Runtime.Unknown';

export interface RuntimeError {
  payload: Buffer;
  errorType: string;
}

/**
 * The error type comes from the Lambda-Runtime-Function-Error-Type header when the runtime sends one (Python, custom
 * runtimes), else from the body's errorType (the Node RIC posts only the body), else Runtime.Unknown.
 */
export function readRuntimeError(headers: IncomingHttpHeaders, body: Buffer): RuntimeError {
  const headerType = headers[REQUEST_HEADER.errorType];
  const contentType = headers[REQUEST_HEADER.contentType];
  let payload = body;
  let parsed: unknown;
  if (contentType !== undefined && contentType.startsWith(ERROR_CAUSE_CONTENT_TYPE)) {
    parsed = parseJson(body);
    if (isRecord(parsed)) {
      delete parsed.errorCause;
      payload = Buffer.from(JSON.stringify(parsed));
    } else {
      payload = INVALID_ERROR_BODY;
    }
  }
  if (typeof headerType === 'string' && headerType !== '') {
    return { payload, errorType: headerType };
  }
  if (parsed === undefined) parsed = parseJson(body);
  const bodyType = isRecord(parsed) ? parsed.errorType : undefined;
  return { payload, errorType: typeof bodyType === 'string' && bodyType !== '' ? bodyType : UNKNOWN_ERROR_TYPE };
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
