// The responseStream handed to streaming handlers: a chunked POST .../response with error trailers; runs inside an instance.
import type { ClientRequest } from 'node:http';
import { InvalidStreamingOperation, toRapidResponse } from './errors';

export const TRAILER_ERROR_TYPE = 'Lambda-Runtime-Function-Error-Type';
export const TRAILER_ERROR_BODY = 'Lambda-Runtime-Function-Error-Body';
const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const PRELUDE_DELIMITER_BYTES = 8;

type FirstWriteHook = (write: (chunk: string | Uint8Array) => void) => void;

/** The writable-only surface user code sees (stream.Writable and EventEmitter methods, plus setContentType). */
export interface ResponseStream {
  write(chunk: unknown, encoding?: BufferEncoding, callback?: (error?: Error | null) => void): boolean;
  end(...args: unknown[]): ResponseStream;
  setContentType(contentType: string): void;
  readonly writableFinished: boolean;
  _onBeforeFirstWrite?: FirstWriteHook;
  [member: string]: unknown;
}

const METHODS = [
  'cork', 'destroy', 'end', 'uncork', 'write',
  'addListener', 'emit', 'eventNames', 'getMaxListeners', 'listenerCount', 'listeners', 'off', 'on', 'once',
  'prependListener', 'prependOnceListener', 'rawListeners', 'removeAllListeners', 'removeListener', 'setMaxListeners',
] as const;
const READ_WRITE = ['destroyed', 'writable'] as const;
const READ_ONLY = [
  'writableFinished', 'writableObjectMode', 'writableBuffer', 'writableEnded', 'writableNeedDrain',
  'writableHighWaterMark', 'writableCorked', 'writableLength',
] as const;

export interface StreamingResponse {
  stream: ResponseStream;
  /** Ends the request with the error in trailers (type, and base64 of the JSON error body). */
  fail(error: unknown, callback?: () => void): void;
}

/**
 * Wraps the request: the first write opens the connection; chunks that are neither strings nor bytes are sent as JSON;
 * the content type can change only before the first write. `beforeEnd` runs right before the request is ended.
 */
export function createResponseStream(request: ClientRequest, beforeEnd: () => void): StreamingResponse {
  let written = false;
  let onBeforeFirstWrite: FirstWriteHook | undefined;
  const rawWrite = request.write.bind(request) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
  const rawEnd = request.end.bind(request) as (...args: unknown[]) => ClientRequest;

  const stream = {} as ResponseStream;
  const members = stream as Record<string, unknown>;
  const source = request as unknown as Record<string, unknown>;
  for (const method of METHODS) {
    const bound = (source[method] as (...args: unknown[]) => unknown).bind(request);
    members[method] = (...args: unknown[]) => {
      const result = bound(...args);
      return result === request ? stream : result;
    };
  }
  stream.write = (chunk, encoding, callback) => {
    const data = typeof chunk === 'string' || chunk instanceof Uint8Array ? chunk : JSON.stringify(chunk);
    if (!written && onBeforeFirstWrite !== undefined) onBeforeFirstWrite((first) => rawWrite(first));
    written = true;
    return rawWrite(data, encoding, callback);
  };
  stream.end = (...args: unknown[]) => {
    beforeEnd();
    rawEnd(...args);
    return stream;
  };
  stream.setContentType = (contentType: string) => {
    if (written) throw new InvalidStreamingOperation('Cannot set content-type, too late.');
    request.setHeader('Content-Type', contentType);
  };
  for (const property of READ_WRITE) {
    Object.defineProperty(stream, property, {
      get: () => source[property],
      set: (value: unknown) => { source[property] = value; },
    });
  }
  for (const property of READ_ONLY) {
    Object.defineProperty(stream, property, { get: () => source[property] });
  }
  Object.defineProperty(stream, '_onBeforeFirstWrite', {
    get: () => onBeforeFirstWrite,
    set: (hook: FirstWriteHook | undefined) => { onBeforeFirstWrite = hook; },
  });

  const fail = (error: unknown, callback?: () => void): void => {
    if (request.writableEnded) {
      // The response is complete already: there is nothing left to carry the error.
      callback?.();
      return;
    }
    const body = toRapidResponse(error);
    request.addTrailers({
      [TRAILER_ERROR_TYPE]: body.errorType,
      [TRAILER_ERROR_BODY]: Buffer.from(JSON.stringify(body)).toString('base64'),
    });
    beforeEnd();
    rawEnd(callback);
  };
  return { stream, fail };
}

/** awslambda.HttpResponseStream: the HTTP-integration prelude (JSON, then 8 NUL bytes) before the body. */
export class HttpResponseStream {
  static from(underlying: ResponseStream, prelude: unknown): ResponseStream {
    underlying.setContentType(HTTP_INTEGRATION_CONTENT_TYPE);
    const metadata = JSON.stringify(prelude);
    underlying._onBeforeFirstWrite = (write) => {
      write(metadata);
      write(new Uint8Array(PRELUDE_DELIMITER_BYTES));
    };
    return underlying;
  }
}
