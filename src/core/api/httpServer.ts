// Loopback HTTP server plumbing shared by every local server (Invoke API, function URLs, event sources, Runtime API): listen, Host check, unparsable requests, close.
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WorkbenchError } from '../common/errors';

const DEFAULT_PORT_HINT = 'Stop the program using it, or choose another port (for example --port 3002, or 0 for any free port).';

/** Listens on the loopback address; a port in use becomes PORT_IN_USE with a hint. Resolves with the bound port. */
export function listenLoopback(server: Server, port: number, host = '127.0.0.1', portHint = DEFAULT_PORT_HINT): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(new WorkbenchError('PORT_IN_USE', `Port ${port} on ${host} is already in use.`, { hint: portHint, cause: error }));
      } else {
        reject(error);
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Stops listening and ends every open connection. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * The Host header values a loopback server answers (DNS rebinding defence: a page elsewhere can reach 127.0.0.1
 * only under a foreign Host name). Servers that are not meant for web pages (the AWS endpoint, event sources, the
 * Runtime API) also refuse a foreign Origin: a cross-site request is refused even when it names the right Host.
 * Servers for browsers (API Gateway, function URLs) leave Origins to their CORS configuration. Empty until `allowPort`.
 */
export class LoopbackHosts {
  private readonly names = new Set<string>();
  private readonly origins = new Set<string>();
  /** Ports whose `<name>.localhost:<port>` hosts are accepted too (S3's virtual-host-style bucket names). */
  private readonly subdomainPorts = new Set<string>();

  constructor(private readonly pages: 'refuse-foreign-origins' | 'serve-pages' = 'refuse-foreign-origins') {}

  /** Also accepts `<name>.localhost:<port>` for the allowed ports (names under localhost resolve to this machine only). */
  allowLocalhostSubdomains(port: number): void {
    this.subdomainPorts.add(String(port));
  }

  /** `extraNames`: other names the server is reached under on this machine (host.docker.internal for containers). */
  allowPort(port: number, extraNames: readonly string[] = []): void {
    for (const name of ['127.0.0.1', 'localhost', ...extraNames]) {
      this.names.add(`${name}:${port}`);
      this.origins.add(`http://${name}:${port}`);
    }
  }

  accepts(req: IncomingMessage): boolean {
    return this.refusal(req) === undefined;
  }

  /** Why the request is refused, for the answer; undefined when it is accepted. */
  refusal(req: IncomingMessage): string | undefined {
    const host = req.headers.host ?? '';
    if (!this.names.has(host) && !this.isLocalhostSubdomain(host)) return `Host header '${host}' is not allowed; use ${this.describe()}.`;
    const origin = req.headers.origin;
    if (this.pages === 'refuse-foreign-origins' && origin !== undefined && !this.origins.has(origin)) {
      return `Origin '${origin}' is not allowed: requests from web pages on other origins are refused.`;
    }
    return undefined;
  }

  private isLocalhostSubdomain(host: string): boolean {
    const subdomain = /^[a-z0-9][a-z0-9.-]*\.localhost:(\d+)$/.exec(host);
    return subdomain !== null && this.subdomainPorts.has(subdomain[1] as string);
  }

  /** "127.0.0.1:PORT or localhost:PORT", for refusal messages. */
  describe(): string {
    return [...this.names].join(' or ');
  }
}

/**
 * Options of every local server: a request without Host reaches the server's own Host check (LoopbackHosts), which
 * refuses it in the server's error shape, instead of Node's bare 400.
 */
export const LOOPBACK_SERVER_OPTIONS = { requireHostHeader: false } as const;

/** An error answer written straight to the socket, in the server's own error shape. */
export interface RawErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** How long a refused connection may go on sending before it is cut. */
const CLOSE_GRACE_MS = 2_000;

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/** The status of a request Node's HTTP parser refused before any handler saw it. */
function clientErrorStatus(error: NodeJS.ErrnoException): number {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 431;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

/**
 * Requests the HTTP parser refuses (a malformed request line or header, headers over the size limit, broken chunked
 * framing, a client too slow to send its headers) and CONNECT requests get an answer in the server's own error shape
 * instead of Node's bare one, then the connection closes. `respond` turns a status and a message into that answer.
 */
export function answerUnparsableRequests(server: Server, respond: (status: number, message: string) => RawErrorResponse): void {
  const answered = new WeakSet<Duplex>();
  const answer = (socket: Duplex, response: RawErrorResponse) => {
    answered.add(socket);
    const head = [`HTTP/1.1 ${response.status} ${STATUS_TEXT[response.status] ?? 'Error'}`];
    const body = Buffer.from(response.body);
    for (const [name, value] of Object.entries({ ...response.headers, 'Content-Length': String(body.length), Connection: 'close' })) head.push(`${name}: ${value}`);
    // Ended, not destroyed: a client still sending (huge headers) would get a reset instead of the answer. What it still
    // sends is read and dropped; a client that never stops is cut off after a grace period.
    socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body]));
    setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
  };
  server.on('clientError', (error: NodeJS.ErrnoException & { reason?: string }, socket: Duplex) => {
    if (answered.has(socket)) return;
    // Once a response has started (a body broken mid-request), or the peer is gone, there is nothing left to say.
    if (!socket.writable || (socket as Socket).bytesWritten > 0 || error.code === 'ECONNRESET') return void socket.destroy();
    answer(socket, respond(clientErrorStatus(error), `The request is not valid HTTP/1.1: ${error.reason ?? error.message}.`));
  });
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.resume();
    answer(socket, respond(405, 'CONNECT is not supported.'));
  });
}
