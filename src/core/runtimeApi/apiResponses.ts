// The Runtime API's fixed answers (status, JSON body) as the Lambda service and the RIE send them; runs in the engine.
import type { ServerResponse } from 'node:http';

/** The most a buffered response may carry: 6 MiB + 100 bytes, as on AWS. */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;

export const HEADER = {
  requestId: 'Lambda-Runtime-Aws-Request-Id',
  deadlineMs: 'Lambda-Runtime-Deadline-Ms',
  functionArn: 'Lambda-Runtime-Invoked-Function-Arn',
  traceId: 'Lambda-Runtime-Trace-Id',
  clientContext: 'Lambda-Runtime-Client-Context',
  cognitoIdentity: 'Lambda-Runtime-Cognito-Identity',
  tenantId: 'Lambda-Runtime-Aws-Tenant-Id',
} as const;

/** Request headers, as node:http lower-cases them. */
export const REQUEST_HEADER = {
  errorType: 'lambda-runtime-function-error-type',
  errorBody: 'lambda-runtime-function-error-body',
  responseMode: 'lambda-runtime-function-response-mode',
  contentType: 'content-type',
} as const;

/** Runtime states, named as the RIE names them in InvalidStateTransition messages. */
export type RuntimeState =
  | 'Started'
  | 'InitError'
  | 'Ready'
  | 'Running'
  | 'InvocationResponse'
  | 'InvocationErrorResponse'
  | 'RuntimeResponseSentState';

const ACCEPTED = Buffer.from('{"status":"OK"}');
const INVALID_REQUEST_ID = Buffer.from('{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}');
const TOO_LARGE = (limit: number): Buffer =>
  Buffer.from(JSON.stringify({ errorMessage: `Exceeded maximum allowed payload size (${limit} bytes).`, errorType: 'RequestEntityTooLarge' }));
const INVALID_MODE = Buffer.from('{"errorMessage":"Invalid function response mode","errorType":"InvalidFunctionResponseMode"}');
const NOT_FOUND = Buffer.from('404 page not found\n');
const METHOD_NOT_ALLOWED = Buffer.from('405 method not allowed\n');
const PONG = Buffer.from('pong');

const JSON_TYPE = 'application/json';

function send(res: ServerResponse, status: number, body: Buffer, contentType = JSON_TYPE): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': body.length });
  res.end(body);
}

export const reply = {
  accepted: (res: ServerResponse): void => send(res, 202, ACCEPTED),
  invalidRequestId: (res: ServerResponse): void => send(res, 400, INVALID_REQUEST_ID),
  forbidden: (res: ServerResponse, message: string): void => send(res, 403, Buffer.from(JSON.stringify({ errorMessage: message, errorType: 'Forbidden' }))),
  invalidResponseMode: (res: ServerResponse): void => send(res, 400, INVALID_MODE),
  tooLarge: (res: ServerResponse, limit: number): void => send(res, 413, TOO_LARGE(limit)),
  invalidStateTransition: (res: ServerResponse, from: RuntimeState, to: RuntimeState): void =>
    send(res, 403, Buffer.from(JSON.stringify({
      errorMessage: `State transition from ${from} to ${to} failed for runtime. Error: State transition is not allowed`,
      errorType: 'InvalidStateTransition',
    }))),
  notFound: (res: ServerResponse): void => send(res, 404, NOT_FOUND, 'text/plain; charset=utf-8'),
  methodNotAllowed: (res: ServerResponse): void => send(res, 405, METHOD_NOT_ALLOWED, 'text/plain; charset=utf-8'),
  pong: (res: ServerResponse): void => send(res, 200, PONG, 'text/plain; charset=utf-8'),
};

/** What the invoker receives for a buffered response over the limit (recorded on AWS; AWS omits the actual size). */
export function responseTooLargePayload(limit: number): Buffer {
  return Buffer.from(JSON.stringify({
    errorMessage: `Response payload size exceeded maximum allowed payload size (${limit} bytes).`,
    errorType: 'Function.ResponseSizeTooLarge',
  }));
}

/** What the invoker receives when the runtime posts a response mode other than streaming. */
export const INVALID_RESPONSE_MODE_PAYLOAD = Buffer.from(
  '{"errorMessage":"Invalid function response mode","errorType":"Runtime.InvalidResponseModeHeader"}',
);
