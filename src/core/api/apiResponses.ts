// Writes Lambda API responses: JSON bodies and AWS-shaped errors ({"Type":"User","message"} + x-amzn-ErrorType), each with x-amzn-RequestId.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

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
  const type = error.status >= 500 ? 'Service' : 'User';
  const text = JSON.stringify({ Type: type, message: error.message, Message: error.message, ...error.extra });
  res.writeHead(error.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    'x-amzn-ErrorType': error.code,
  });
  res.end(text);
}
