// The Lambda Runtime API (2018-06-01) served to one instance's runtime, on 127.0.0.1; runs in the engine.
import * as http from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { answerUnparsableRequests, closeServer, listenLoopback, LOOPBACK_SERVER_OPTIONS, LoopbackHosts } from '../api/httpServer';
import { readBody } from '../api/requestBody';
import { WorkbenchError } from '../common/errors';
import { listenInternal } from '../api/internalPorts';
import { Emitter, type Event } from '../common/events';
import {
  HEADER,
  INVALID_RESPONSE_MODE_PAYLOAD,
  MAX_RESPONSE_BYTES,
  REQUEST_HEADER,
  reply,
  responseTooLargePayload,
  type RuntimeState,
} from './apiResponses';
import { readRuntimeError } from './errorPayload';
import { QUIET_RESULT_HEADER } from '../../shared/runtimeProtocol';
import { encodeFrame, FRAME, type Frame, FrameReader, peakMemoryOf, QUIET_FLAG, RUNTIME_CHANNEL_FD } from '../../shared/runtimeChannel';

/** One invocation as the runtime receives it from GET .../invocation/next. */
export interface InvocationEvent {
  requestId: string;
  payload: Buffer;
  /** The timeout instant, Unix epoch milliseconds. */
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId?: string;
  /** JSON text, already base64-decoded. */
  clientContext?: string;
  /** JSON text {"cognitoIdentityId":...,"cognitoIdentityPoolId":...}. */
  cognitoIdentity?: string;
  tenantId?: string;
  /** Defaults to application/json. */
  contentType?: string;
}

/** `quiet`: the runtime (ours) wrote nothing since its last flush markers and wrote none for this result (QUIET_RESULT_HEADER). */
export type InvocationOutcome =
  | { kind: 'response'; payload: Buffer; contentType?: string; streamed: boolean; quiet?: true }
  | { kind: 'error'; payload: Buffer; errorType: string; quiet?: true };

export interface InvokeOptions {
  /** Receives each chunk of a streamed response as it arrives. */
  onChunk?(chunk: Buffer): void;
}

export interface RuntimeApiServerOptions {
  /** Loopback port to bind; 0 (the default) picks a free one. */
  port?: number;
  /** Limit of a buffered response; defaults to Lambda's 6291556 bytes. */
  maxResponseBytes?: number;
}

/** Where a /next waits: an HTTP long poll, or the runtime channel. */
interface NextWaiter {
  deliver(event: InvocationEvent): void;
}

/** How a result that cannot be accepted is refused: with an HTTP answer, or (runtime channel) silently. */
interface Refusal {
  invalidRequestId(): void;
  invalidStateTransition(from: RuntimeState, to: RuntimeState): void;
}

interface Exchange {
  readonly event: InvocationEvent;
  readonly onChunk: ((chunk: Buffer) => void) | undefined;
  readonly resolve: (outcome: InvocationOutcome) => void;
  readonly reject: (error: Error) => void;
}

/** The name a container on a bridge network reaches the host's Runtime API under. */
export const CONTAINER_HOST_ALIAS = 'host.docker.internal';

const API = '/2018-06-01';
const NEXT_PATH = `${API}/runtime/invocation/next`;
const INVOCATION_PREFIX = `${API}/runtime/invocation/`;
const INIT_ERROR_PATH = `${API}/runtime/init/error`;
const PING_PATH = `${API}/ping`;
const RESPONSE_SUFFIX = '/response';
const ERROR_SUFFIX = '/error';
const STREAMING_MODE = 'streaming';
const DEFAULT_CONTENT_TYPE = 'application/json';
const QUIET_HEADER = QUIET_RESULT_HEADER.toLowerCase();

function ignore(): void {
  // Request stream errors (the runtime died mid-request) surface to the engine as the runtime's exit.
}

const SILENT_REFUSAL: Refusal = { invalidRequestId: ignore, invalidStateTransition: ignore };
const EMPTY = Buffer.alloc(0);

/**
 * One server per instance. The engine hands invocations to it with invoke(); the runtime long-polls /next for them
 * and posts the outcome back. At most one invocation is queued or in flight at a time, as in Lambda.
 *
 * Request ids are checked first (400 InvalidRequestID unless the id is the one most recently delivered), then the
 * runtime state (403 InvalidStateTransition, e.g. a second result for the same id), as the RIE does.
 */
export class RuntimeApiServer {
  readonly port: number;
  readonly hostPort: string;

  private readonly nextEmitter = new Emitter<void>();
  private readonly initErrorEmitter = new Emitter<{ payload: Buffer; errorType: string }>();
  /** Fired on every /next arrival; the first one means init finished. */
  readonly onNext: Event<void> = this.nextEmitter.event;
  /** The runtime reported a failed init through POST /runtime/init/error. */
  readonly onInitError: Event<{ payload: Buffer; errorType: string }> = this.initErrorEmitter.event;

  private state: RuntimeState = 'Started';
  /** The runtime's pending /next, when it waits for work. */
  private waitingNext: NextWaiter | undefined;
  /** The runtime channel, when the backend gave the runtime one (attachChannel). */
  private channel: Duplex | undefined;
  /** An invocation handed over before the runtime asked for it. */
  private queued: Exchange | undefined;
  /** The invocation the runtime is working on. */
  private current: Exchange | undefined;
  /** The only id the runtime may post results for ('' when none). */
  private currentId = '';
  /** The runtime's peak memory sent with the current invocation's result (runtime channel, PEAK_MEMORY_FLAG). */
  private reportedPeakKB: number | undefined;
  private closed = false;
  private readonly hosts = new LoopbackHosts();

  private constructor(
    private readonly server: http.Server,
    private readonly maxResponseBytes: number,
  ) {
    this.port = (server.address() as AddressInfo).port;
    this.hostPort = `127.0.0.1:${this.port}`;
    this.hosts.allowPort(this.port, [CONTAINER_HOST_ALIAS]);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => this.route(req, res));
  }

  static async start(options: RuntimeApiServerOptions = {}): Promise<RuntimeApiServer> {
    const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    // Both ends belong to us: no idle timeout on kept-alive sockets, no Nagle delay on small writes.
    const server = http.createServer({ ...LOOPBACK_SERVER_OPTIONS, noDelay: true, keepAliveTimeout: 0 });
    // As the Go server of the RIE answers what it cannot parse: a plain-text status line.
    answerUnparsableRequests(server, (status, message) => ({
      status,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      body: `${status} ${status === 405 ? 'method not allowed' : 'Bad Request'}: ${message}\n`,
    }));
    if (options.port === undefined) await listenInternal(server);
    else await listenLoopback(server, options.port, '127.0.0.1', 'Choose another Runtime API port or leave it unset to pick a free one.');
    return new RuntimeApiServer(server, maxResponseBytes);
  }

  /** Hands the event to the runtime's pending (or next) /next; settles when the runtime posts its result. */
  invoke(event: InvocationEvent, options: InvokeOptions = {}): Promise<InvocationOutcome> {
    if (this.closed) {
      return Promise.reject(new WorkbenchError('INSTANCE_FAILED', `The Runtime API server on ${this.hostPort} is closed.`));
    }
    const busy = this.current ?? this.queued;
    if (busy !== undefined) {
      return Promise.reject(new WorkbenchError('INSTANCE_FAILED',
        `Invocation ${event.requestId} was handed to an instance that is still busy with ${busy.event.requestId}.`));
    }
    this.reportedPeakKB = undefined;
    return new Promise((resolve, reject) => {
      const exchange: Exchange = { event: toWireSafe(event), onChunk: options.onChunk, resolve, reject };
      const waiting = this.waitingNext;
      if (waiting !== undefined) {
        this.waitingNext = undefined;
        this.deliver(waiting, exchange);
      } else {
        this.queued = exchange;
      }
    });
  }

  /**
   * The peak resident memory in kB that the runtime sent with the last invocation's result (our runtime clients on the
   * runtime channel: getrusage's ru_maxrss, /proc's VmHWM of the runtime process); undefined when it sent none (HTTP,
   * streamed responses, other runtimes), and from the next invoke() on until the next result.
   */
  get resultPeakMemoryKB(): number | undefined {
    return this.reportedPeakKB;
  }

  /**
   * The engine gave up on this invocation (timeout, crash). Its invoke() promise rejects with CANCELLED, and later
   * posts for it get 400 InvalidRequestID.
   */
  abandon(requestId: string): void {
    const cancelled = new WorkbenchError('CANCELLED', `Invocation ${requestId} was abandoned.`);
    if (this.queued?.event.requestId === requestId) {
      this.queued.reject(cancelled);
      this.queued = undefined;
    }
    if (this.currentId === requestId) {
      this.current?.reject(cancelled);
      this.current = undefined;
      this.currentId = '';
      if (this.state !== 'Ready') this.state = 'RuntimeResponseSentState';
    }
  }

  /** Stops listening, ends the pending long poll and fails any unfinished invocation. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    const closedError = new WorkbenchError('INSTANCE_FAILED', `The Runtime API server on ${this.hostPort} was closed.`);
    this.queued?.reject(closedError);
    this.current?.reject(closedError);
    this.queued = this.current = this.waitingNext = undefined;
    this.channel?.destroy();
    this.nextEmitter.dispose();
    this.initErrorEmitter.dispose();
    return closeServer(this.server);
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '';
    const method = req.method;
    // Only the runtime may talk to it: a web page reaching 127.0.0.1 (DNS rebinding, cross-site) is refused.
    const refusal = this.hosts.refusal(req);
    if (refusal !== undefined) {
      req.resume();
      reply.forbidden(res, refusal);
      return;
    }
    if (url === NEXT_PATH) {
      if (method === 'GET') this.httpNext(res);
      else reply.methodNotAllowed(res);
    } else if (url.startsWith(INVOCATION_PREFIX)) {
      if (url.endsWith(RESPONSE_SUFFIX)) {
        if (method === 'POST') this.response(req, res, requestIdOf(url, RESPONSE_SUFFIX));
        else reply.methodNotAllowed(res);
      } else if (url.endsWith(ERROR_SUFFIX)) {
        if (method === 'POST') this.error(req, res, requestIdOf(url, ERROR_SUFFIX));
        else reply.methodNotAllowed(res);
      } else {
        reply.notFound(res);
      }
    } else if (url === INIT_ERROR_PATH) {
      if (method === 'POST') this.initError(req, res);
      else reply.methodNotAllowed(res);
    } else if (url === PING_PATH && method === 'GET') {
      reply.pong(res);
    } else {
      reply.notFound(res);
    }
  }

  /**
   * Serves next / response / error / init error over `channel` too, as frames (src/shared/runtimeChannel.ts): the process
   * backend's pipe to our runtime clients. Streamed responses and everything else stay on HTTP. Bytes that are not frames
   * (the function wrote to the channel's descriptor) fail the invocation and end the channel, and with it the runtime.
   */
  attachChannel(channel: Duplex): void {
    this.channel = channel;
    const waiter: NextWaiter = {
      deliver: (event) => channel.write(encodeFrame(FRAME.invocation, 0, JSON.stringify(channelHeaders(event)), event.payload)),
    };
    const reader = new FrameReader(
      (frame) => this.channelFrame(frame, waiter),
      (reason) => {
        if (this.waitingNext === waiter) this.waitingNext = undefined;
        this.current?.reject(new WorkbenchError('INSTANCE_FAILED', `The runtime channel carried something other than frames (${reason}); ` +
          `did the function write to file descriptor ${RUNTIME_CHANNEL_FD}? The environment is reset.`));
        this.current = undefined;
        channel.destroy();
      },
      this.maxResponseBytes,
    );
    channel.on('data', (chunk: Buffer) => reader.push(chunk));
    channel.on('error', ignore);
    channel.on('close', () => {
      if (this.waitingNext === waiter) this.waitingNext = undefined;
    });
  }

  private channelFrame(frame: Frame, waiter: NextWaiter): void {
    const quiet = (frame.flags & QUIET_FLAG) !== 0 ? { quiet: true as const } : {};
    if (frame.kind === FRAME.next) {
      this.next(waiter, SILENT_REFUSAL);
    } else if (frame.kind === FRAME.response) {
      const { peakKB, head } = peakMemoryOf(frame);
      // The head is the request id, followed by a newline and the content type when it is not application/json.
      const newline = head.indexOf('\n');
      const requestId = newline === -1 ? head : head.slice(0, newline);
      const exchange = this.acceptResult(SILENT_REFUSAL, requestId, 'InvocationResponse');
      if (exchange === undefined) return;
      const contentType = newline === -1 ? DEFAULT_CONTENT_TYPE : head.slice(newline + 1);
      this.reportedPeakKB = peakKB;
      this.settle(exchange, frame.body === undefined
        ? { kind: 'error', payload: responseTooLargePayload(this.maxResponseBytes), errorType: 'Function.ResponseSizeTooLarge' }
        : { kind: 'response', payload: asBuffer(frame.body), contentType, streamed: false, ...quiet });
    } else if (frame.kind === FRAME.error) {
      const { peakKB, head } = peakMemoryOf(frame);
      const exchange = this.acceptResult(SILENT_REFUSAL, head, 'InvocationErrorResponse');
      if (exchange === undefined) return;
      this.reportedPeakKB = peakKB;
      this.settle(exchange, { kind: 'error', ...readRuntimeError({}, asBuffer(frame.body ?? EMPTY)), ...quiet });
    } else if (frame.kind === FRAME.initError && this.state === 'Started') {
      this.state = 'InitError';
      this.initErrorEmitter.fire(readRuntimeError({ [REQUEST_HEADER.errorType]: frame.head }, asBuffer(frame.body ?? EMPTY)));
    }
  }

  private httpNext(res: http.ServerResponse): void {
    const waiter: NextWaiter = { deliver: (event) => sendInvocation(res, event) };
    this.next(waiter, httpRefusal(res));
    if (this.waitingNext === waiter) {
      res.once('close', () => {
        if (this.waitingNext === waiter) this.waitingNext = undefined;
      });
    }
  }

  /** The runtime asks for work (HTTP long poll or channel frame). */
  private next(waiter: NextWaiter, refusal: Refusal): void {
    if (this.state === 'Running' || this.state === 'InitError' || this.waitingNext !== undefined ||
        this.state === 'InvocationResponse' || this.state === 'InvocationErrorResponse') {
      refusal.invalidStateTransition(this.state, 'Ready');
      return;
    }
    this.state = 'Ready';
    const queued = this.queued;
    if (queued !== undefined) this.deliver(waiter, queued);
    else this.waitingNext = waiter;
    this.nextEmitter.fire();
  }

  private deliver(waiter: NextWaiter, exchange: Exchange): void {
    const event = exchange.event;
    this.queued = undefined;
    this.current = exchange;
    this.currentId = event.requestId;
    this.state = 'Running';
    waiter.deliver(event);
  }

  /** The exchange a result for this id may complete, or undefined after refusing it (400/403 on HTTP). */
  private acceptResult(refusal: Refusal, requestId: string, target: RuntimeState): Exchange | undefined {
    if (requestId === '' || requestId !== this.currentId) {
      refusal.invalidRequestId();
      return undefined;
    }
    if (this.state !== 'Running' || this.current === undefined) {
      refusal.invalidStateTransition(this.state, target);
      return undefined;
    }
    this.state = target;
    return this.current;
  }

  private response(req: http.IncomingMessage, res: http.ServerResponse, requestId: string): void {
    const mode = req.headers[REQUEST_HEADER.responseMode];
    const exchange = this.acceptResult(httpRefusal(res), requestId, 'InvocationResponse');
    if (exchange === undefined) return;
    if (mode !== undefined && mode !== STREAMING_MODE) {
      this.settle(exchange, { kind: 'error', payload: INVALID_RESPONSE_MODE_PAYLOAD, errorType: 'Runtime.InvalidResponseModeHeader' });
      reply.invalidResponseMode(res);
      return;
    }
    const contentType = req.headers[REQUEST_HEADER.contentType];
    if (mode === STREAMING_MODE) {
      this.receiveStream(req, res, exchange, contentType);
      return;
    }
    this.readBody(req, (body) => {
      if (this.current !== exchange) {
        reply.invalidRequestId(res);
      } else if (body === undefined) {
        this.settle(exchange, { kind: 'error', payload: responseTooLargePayload(this.maxResponseBytes), errorType: 'Function.ResponseSizeTooLarge' });
        reply.tooLarge(res, this.maxResponseBytes);
      } else {
        reply.accepted(res);
        this.settle(exchange, { kind: 'response', payload: body, contentType, streamed: false, ...quietOf(req) });
      }
    });
  }

  /** A chunked response; an error in mid-stream arrives as trailers with the error type and base64 body. */
  private receiveStream(req: http.IncomingMessage, res: http.ServerResponse, exchange: Exchange, contentType: string | undefined): void {
    const chunks: Buffer[] = [];
    req.on('error', ignore);
    req.on('data', (chunk: Buffer) => {
      if (this.current !== exchange) return;
      chunks.push(chunk);
      exchange.onChunk?.(chunk);
    });
    req.on('end', () => {
      if (this.current !== exchange) {
        reply.invalidRequestId(res);
        return;
      }
      reply.accepted(res);
      const errorType = req.trailers[REQUEST_HEADER.errorType];
      if (errorType) {
        const body = req.trailers[REQUEST_HEADER.errorBody];
        this.settle(exchange, { kind: 'error', payload: Buffer.from(body ?? '', 'base64'), errorType });
      } else {
        this.settle(exchange, { kind: 'response', payload: Buffer.concat(chunks), contentType, streamed: true });
      }
    });
  }

  private error(req: http.IncomingMessage, res: http.ServerResponse, requestId: string): void {
    const exchange = this.acceptResult(httpRefusal(res), requestId, 'InvocationErrorResponse');
    if (exchange === undefined) return;
    this.readBody(req, (body) => {
      if (this.current !== exchange) {
        reply.invalidRequestId(res);
        return;
      }
      reply.accepted(res);
      const { payload, errorType } = readRuntimeError(req.headers, body ?? Buffer.alloc(0));
      this.settle(exchange, { kind: 'error', payload, errorType, ...quietOf(req) });
    });
  }

  private initError(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.state !== 'Started') {
      reply.invalidStateTransition(res, this.state, 'InitError');
      return;
    }
    this.state = 'InitError';
    this.readBody(req, (body) => {
      reply.accepted(res);
      this.initErrorEmitter.fire(readRuntimeError(req.headers, body ?? Buffer.alloc(0)));
    });
  }

  /** Reads the whole body up to the response limit; hands undefined when it exceeds it (the rest is drained, not kept). */
  private readBody(req: http.IncomingMessage, done: (body: Buffer | undefined) => void): void {
    readBody(req, this.maxResponseBytes).then(({ body }) => done(body), ignore);
  }

  private settle(exchange: Exchange, outcome: InvocationOutcome): void {
    this.current = undefined;
    this.state = 'RuntimeResponseSentState';
    exchange.resolve(outcome);
  }
}

function quietOf(req: http.IncomingMessage): { quiet?: true } {
  return req.headers[QUIET_HEADER] === '1' ? { quiet: true } : {};
}

/** The id between the invocation prefix and the suffix; ids are UUIDs, so decoding is rarely needed. */
function requestIdOf(url: string, suffix: string): string {
  const id = url.slice(INVOCATION_PREFIX.length, url.length - suffix.length);
  if (!id.includes('%')) return id;
  try {
    return decodeURIComponent(id);
  } catch {
    return '';
  }
}

/** Header values must be Latin-1 without control characters: escape the rest of the JSON texts as \uXXXX. */
function toWireSafe(event: InvocationEvent): InvocationEvent {
  const clientContext = jsonHeaderValue(event.clientContext, 'client context');
  const cognitoIdentity = jsonHeaderValue(event.cognitoIdentity, 'Cognito identity');
  if (clientContext === event.clientContext && cognitoIdentity === event.cognitoIdentity) return event;
  return { ...event, clientContext, cognitoIdentity };
}

const HEADER_UNSAFE = /[^\x20-\x7e]/;
const NON_ASCII = /[\u007f-\uffff]/g;

function jsonHeaderValue(value: string | undefined, what: string): string | undefined {
  if (value === undefined || !HEADER_UNSAFE.test(value)) return value;
  let compact: string;
  try {
    compact = JSON.stringify(JSON.parse(value));
  } catch (error) {
    throw new WorkbenchError('EVENT_INVALID', `The ${what} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  // After JSON.stringify, control characters are escaped and anything non-ASCII sits inside strings.
  return compact.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function httpRefusal(res: http.ServerResponse): Refusal {
  return {
    invalidRequestId: () => reply.invalidRequestId(res),
    invalidStateTransition: (from, to) => reply.invalidStateTransition(res, from, to),
  };
}

/** The names of the /next headers, as sent over HTTP. */
const NEXT_HEADER = { contentType: 'Content-Type', ...HEADER } as const;
type NextHeaderNames = Record<keyof typeof NEXT_HEADER, string>;
/** The same names lower-cased, as node:http delivers them (the runtime channel's invocation frame). */
const NEXT_HEADER_LOWER_CASE = Object.fromEntries(
  Object.entries(NEXT_HEADER).map(([key, name]) => [key, name.toLowerCase()]),
) as NextHeaderNames;

/** The invocation's data as the Runtime API's /next headers (the payload aside), under `names`. */
function invocationHeaders(event: InvocationEvent, names: NextHeaderNames = NEXT_HEADER): Record<string, string> {
  const headers: Record<string, string> = {
    [names.contentType]: event.contentType || DEFAULT_CONTENT_TYPE,
    [names.requestId]: event.requestId,
    [names.deadlineMs]: String(event.deadlineMs),
    [names.functionArn]: event.invokedFunctionArn,
  };
  if (event.traceId) headers[names.traceId] = event.traceId;
  if (event.clientContext) headers[names.clientContext] = event.clientContext;
  if (event.cognitoIdentity) headers[names.cognitoIdentity] = event.cognitoIdentity;
  if (event.tenantId) headers[names.tenantId] = event.tenantId;
  return headers;
}

/** The answer to GET /next: the payload, with the invocation's data in headers. */
function sendInvocation(res: http.ServerResponse, event: InvocationEvent): void {
  res.writeHead(200, { ...invocationHeaders(event), 'Content-Length': event.payload.length });
  res.end(event.payload);
}

/** The same data for an invocation frame: the headers as node:http would deliver them (lower-case names). */
function channelHeaders(event: InvocationEvent): Record<string, string> {
  return invocationHeaders(event, NEXT_HEADER_LOWER_CASE);
}

/** A frame's bytes as a Buffer, without copying them. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
