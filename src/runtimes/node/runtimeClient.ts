// Client of the Runtime API for the Node runtime: the runtime channel when the engine gave one, else one kept-alive HTTP socket;
// flush markers before every result that is not quiet; runs inside an instance.
import type * as Http from 'node:http';
import { FRAME, PEAK_MEMORY_FLAG, QUIET_FLAG, withPeakMemory } from '../../shared/runtimeChannel';
import { FLUSH_MARKER, QUIET_RESULT_HEADER } from '../../shared/runtimeProtocol';
import type { ChannelTransport } from './channelTransport';
import { toRapidResponse } from './errors';
import type { OutputWatch } from './outputWatch';
import { createResponseStream, type StreamingResponse, TRAILER_ERROR_BODY, TRAILER_ERROR_TYPE } from './responseStream';
import { writeStdio } from './stdio';

export interface NextInvocation {
  body: string;
  /** Lower-cased, as node:http delivers them. */
  headers: Http.IncomingHttpHeaders;
}

const INVOCATION = '/2018-06-01/runtime/invocation/';

let httpModule: typeof Http | undefined;
/** node:http, loaded on first use: with the runtime channel only streamed responses need it, and each builtin loaded costs every environment memory. */
function http(): typeof Http {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (httpModule ??= require('node:http') as typeof Http);
}
const JSON_TYPE = 'application/json';
const NOT_HEADER_SAFE = /[^\t\x20-\x7e]/g;

function headerSafe(value: string): string {
  return value.replace(NOT_HEADER_SAFE, '');
}

/** The RIC serialises results this way; undefined becomes null. */
export function serializeResponse(result: unknown): string {
  try {
    return JSON.stringify(result === undefined ? null : result);
  } catch {
    throw new Error('Unable to stringify response body');
  }
}

/**
 * Without its Runtime API the runtime cannot do anything: the engine closed it, so the instance is going away.
 * Say so on stderr and end the process.
 */
export function apiUnreachable(error: Error): never {
  process.stderr.write(`Lambda Workbench runtime: the Runtime API is unreachable (${error.message}); exiting.\n`);
  process.exit(1);
}

export class RuntimeClient {
  private agentInstance: Http.Agent | undefined;
  private readonly hostname: string;
  private readonly port: number;

  /**
   * `outputWatch`: given when the engine accepts quiet results (QUIET_RESULTS_ENV). `channel`: given when the engine
   * started the runtime with a runtime channel (RUNTIME_CHANNEL_ENV); streamed responses still go over HTTP.
   */
  constructor(hostPort: string, private readonly outputWatch?: OutputWatch, private readonly channel?: ChannelTransport) {
    const colon = hostPort.lastIndexOf(':');
    this.hostname = hostPort.slice(0, colon);
    this.port = Number(hostPort.slice(colon + 1));
  }

  /** Long-polls for the next invocation (no timeout: the runtime may be frozen while it waits). */
  next(): Promise<NextInvocation> {
    if (this.channel) return this.channel.next();
    return new Promise((resolve) => {
      const request = http().request({ hostname: this.hostname, port: this.port, path: `${INVOCATION}next`, method: 'GET', agent: this.agent() },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => { body += chunk; });
          response.on('end', () => resolve({ body, headers: response.headers }));
        });
      request.on('error', apiUnreachable);
      request.end();
    });
  }

  private agent(): Http.Agent {
    return (this.agentInstance ??= new (http().Agent)({ keepAlive: true, maxSockets: 1 }));
  }

  /** Posts a result that is already serialised (see serializeResponse). */
  postResponse(requestId: string, body: string, done: () => void): void {
    if (this.channel) this.sendResult(FRAME.response, requestId, body, done);
    else this.post(`${INVOCATION}${encodeURIComponent(requestId)}/response`, requestId, body, undefined, done);
  }

  /** Like the RIC's native client: the error type travels in the body only, no error-type header. */
  postError(requestId: string, error: unknown, done: () => void): void {
    const body = serializeResponse(toRapidResponse(error));
    if (this.channel) this.sendResult(FRAME.error, requestId, body, done);
    else this.post(`${INVOCATION}${encodeURIComponent(requestId)}/error`, requestId, body, undefined, done);
  }

  /**
   * A response or error frame on the channel, with this process's peak resident memory (ru_maxrss, the VmHWM the engine
   * would otherwise read from /proc) for the REPORT line.
   */
  private sendResult(kind: typeof FRAME.response | typeof FRAME.error, requestId: string, body: string, done: () => void): void {
    const flags = (this.quietOrMarkers(requestId) ? QUIET_FLAG : 0) | PEAK_MEMORY_FLAG;
    (this.channel as ChannelTransport).send(kind, flags, withPeakMemory(process.resourceUsage().maxRSS, requestId), body, done);
  }

  postInitError(error: unknown, done: () => void): void {
    const rapid = toRapidResponse(error);
    if (this.channel) {
      this.writeFlushMarkers('');
      this.channel.send(FRAME.initError, 0, headerSafe(rapid.errorType), serializeResponse(rapid), done);
    } else this.post('/2018-06-01/runtime/init/error', '', serializeResponse(rapid), rapid.errorType, done);
  }

  /** Opens a streamed response; `answered` settles when the Runtime API has answered it. */
  streamResponse(requestId: string): StreamingResponse & { answered: Promise<void> } {
    let answered!: () => void;
    const answeredPromise = new Promise<void>((resolve) => { answered = resolve; });
    const request = http().request({
      hostname: this.hostname,
      port: this.port,
      path: `${INVOCATION}${encodeURIComponent(requestId)}/response`,
      method: 'POST',
      agent: this.agent(),
      headers: {
        'Lambda-Runtime-Function-Response-Mode': 'streaming',
        Trailer: `${TRAILER_ERROR_TYPE}, ${TRAILER_ERROR_BODY}`,
        'Content-Type': 'application/octet-stream',
      },
    }, (response) => {
      response.resume();
      response.on('end', answered);
    });
    request.on('error', apiUnreachable);
    return { ...createResponseStream(request, () => this.writeFlushMarkers(requestId)), answered: answeredPromise };
  }

  private post(path: string, requestId: string, body: string, errorType: string | undefined, done: () => void): void {
    const headers: Http.OutgoingHttpHeaders = { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(body) };
    if (errorType !== undefined) headers['Lambda-Runtime-Function-Error-Type'] = headerSafe(errorType);
    if (requestId !== '' && this.quietOrMarkers(requestId)) headers[QUIET_RESULT_HEADER] = '1';
    else if (requestId === '') this.writeFlushMarkers(requestId);
    const request = http().request({ hostname: this.hostname, port: this.port, path, method: 'POST', agent: this.agent(), headers },
      (response) => {
        response.resume();
        response.on('end', done);
      });
    request.on('error', apiUnreachable);
    request.end(body);
  }

  /** True when the result may go quiet (nothing written since the last markers); else the markers are written now. */
  private quietOrMarkers(requestId: string): boolean {
    if (this.outputWatch?.quiet === true) return true;
    this.writeFlushMarkers(requestId);
    return false;
  }

  /** Everything written before this line belongs to the invocation (the engine prints END/REPORT after it). */
  private writeFlushMarkers(requestId: string): void {
    const line = `${FLUSH_MARKER}${requestId}\n`;
    writeStdio('stdout', line);
    writeStdio('stderr', line);
    this.outputWatch?.markersWritten();
  }
}
