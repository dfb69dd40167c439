// HTTP/2 without TLS (prior knowledge, as the SDKs' HTTP/2 handlers speak to an http:// endpoint) beside HTTP/1.1 on one loopback server.
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type * as Http2 from 'node:http2';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

/** The first bytes of every HTTP/2 connection (RFC 9113 §3.4). */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/**
 * Routes each new connection of `server` by its first bytes: the HTTP/2 preface goes to an HTTP/2 session whose requests
 * reach `listener` (with `host` set from `:authority`), anything else to the server's own HTTP/1.1 handling.
 * `closeAllConnections` of the server ends the HTTP/2 sessions too.
 */
export function acceptCleartextHttp2(server: Server, listener: RequestListener): void {
  const sessions = new Set<Http2.Http2Session>();
  let http2: Http2.Http2Server | undefined;
  // node:http2 loads with the first HTTP/2 connection: most runs of `start` never see one, and it is 6 ms of its start.
  const http2Server = (): Http2.Http2Server => {
    if (http2) return http2;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    http2 = (require('node:http2') as typeof Http2).createServer();
    http2.on('session', (session) => {
      sessions.add(session);
      session.once('close', () => sessions.delete(session));
    });
    http2.on('request', (req, res) => {
      if (req.headers.host === undefined && req.authority) req.headers.host = req.authority;
      listener(req as unknown as IncomingMessage, res as unknown as ServerResponse);
    });
    return http2;
  };
  const http1 = server.listeners('connection') as ((socket: Socket) => void)[];
  // Connections that have not sent enough to tell yet: neither protocol knows them, so closing ends them here.
  const undecided = new Set<Socket>();
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    undecided.add(socket);
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const compared = Math.min(received.length, PREFACE.length);
      const http2Preface = received.subarray(0, compared).equals(PREFACE.subarray(0, compared));
      if (http2Preface && received.length < PREFACE.length) return;
      socket.off('data', onData);
      socket.off('close', forget);
      undecided.delete(socket);
      socket.pause();
      if (http2Preface) {
        http2Server().emit('connection', withFirstChunk(socket, received));
      } else {
        socket.unshift(received);
        for (const handle of http1) handle.call(server, socket);
      }
      socket.resume();
    };
    const forget = () => undecided.delete(socket);
    socket.on('data', onData);
    socket.once('close', forget);
  });
  const closeAll = server.closeAllConnections.bind(server);
  server.closeAllConnections = () => {
    closeAll();
    for (const session of sessions) session.destroy();
    for (const socket of undecided) socket.destroy();
  };
}

/** The socket as a stream that yields the bytes already read first (an HTTP/2 session reads its socket's handle, not what was read). */
function withFirstChunk(socket: Socket, first: Buffer): Duplex {
  const stream = new Duplex({
    read: () => socket.resume(),
    write: (chunk: Buffer, _encoding, done) => socket.write(chunk, done),
    final: (done) => socket.end(done),
    destroy: (error, done) => {
      socket.destroy(error ?? undefined);
      done(error);
    },
  });
  stream.push(first);
  socket.on('data', (chunk: Buffer) => {
    if (!stream.push(chunk)) socket.pause();
  });
  socket.on('end', () => stream.push(null));
  socket.on('close', () => stream.destroy());
  socket.on('error', (error) => stream.destroy(error));
  return stream;
}
