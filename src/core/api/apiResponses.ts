// Writes Lambda API responses: JSON bodies and AWS-shaped errors ({"Type":"User","message"} + x-amzn-ErrorType), each with x-amzn-RequestId.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { RawErrorResponse } from './httpServer';

/** The AWS error name goes into x-amzn-ErrorType; the SDK builds the matching exception class from it. */
export interface ApiError {
  status: number;
  code: string;
  message: string;
  /** Extra body fields, e.g. Reason for throttles. */
  extra?: Record<string, string>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, requestId: string = randomUUID()): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
  });
  res.end(text);
}

export function sendApiError(res: ServerResponse, error: ApiError): void {
  const { status, headers, body } = apiErrorResponse(error);
  res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** The status, headers and body of an AWS-shaped error answer. */
function apiErrorResponse(error: ApiError): RawErrorResponse {
  const type = error.status >= 500 ? 'Service' : 'User';
  return {
    status: error.status,
    headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': randomUUID(), 'x-amzn-ErrorType': error.code },
    body: JSON.stringify({ Type: type, message: error.message, Message: error.message, ...error.extra }),
  };
}

/** AWS error names for requests refused before routing (unparsable HTTP, CONNECT). */
const UNPARSABLE_CODES: Record<number, string> = { 405: 'UnknownOperationException', 408: 'RequestTimeoutException', 431: 'RequestTooLargeException' };

/** For answerUnparsableRequests on AWS-shaped endpoints. */
export function unparsableRequestError(status: number, message: string): RawErrorResponse {
  return apiErrorResponse({ status, code: UNPARSABLE_CODES[status] ?? 'ValidationException', message });
}
