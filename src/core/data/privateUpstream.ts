// An engine's HTTP server on a private loopback port: only requests carrying the random token of this process reach it (the AWS endpoint forwards to it).
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { Readable } from 'node:stream';
import { closeServer, listenLoopback } from '../api/httpServer';

/** The header that proves a request comes from this process (a web page cannot send it: a preflight would be refused). */
const TOKEN_HEADER = 'x-lambda-workbench-upstream';

export interface UpstreamRequest {
  method: string;
  /** Path and query. */
  path: string;
  headers: IncomingHttpHeaders | Record<string, string>;
  body?: Buffer | Readable;
}

export class PrivateUpstream {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly token: string,
  ) {}

  /** Puts `server`'s request handling behind the token check and listens on 127.0.0.1 (any free port). */
  static async listen(server: Server, handler: RequestListener): Promise<PrivateUpstream> {
    const token = randomBytes(24).toString('hex');
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res) => {
      if (req.headers[TOKEN_HEADER] !== token) {
        req.resume();
        res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden.');
        return;
      }
      delete req.headers[TOKEN_HEADER];
      handler(req, res);
    });
    const port = await listenLoopback(server, 0);
    return new PrivateUpstream(server, port, token);
  }

  /** Sends a request to the engine; the response is not read. */
  send(input: UpstreamRequest): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const headers = { ...input.headers, host: `127.0.0.1:${this.port}`, [TOKEN_HEADER]: this.token };
      const outgoing = httpRequest({ host: '127.0.0.1', port: this.port, method: input.method, path: input.path, headers }, resolve);
      outgoing.on('error', reject);
      if (input.body === undefined) outgoing.end();
      else if (Buffer.isBuffer(input.body)) outgoing.end(input.body);
      else input.body.on('error', (error) => outgoing.destroy(error)).pipe(outgoing);
    });
  }

  /** Sends a request and reads the whole answer. */
  async fetch(input: UpstreamRequest): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    const response = await this.send(input);
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    return { status: response.statusCode ?? 500, headers: response.headers, body: Buffer.concat(chunks) };
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }
}
