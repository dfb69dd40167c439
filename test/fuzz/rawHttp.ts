// A raw-socket HTTP/1.1 client for hostile requests: sends exactly the bytes given (in pieces, slowly, or cut off) and reads one answer.
import { connect } from 'node:net';

export interface RawAnswer {
  /** 0 when the server closed the connection without answering. */
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface RawSendOptions {
  /** The request in pieces, written `delayMs` apart (a slow client). */
  delayMs?: number;
  /** Destroy the connection after writing instead of waiting for an answer (an aborted request). */
  abort?: boolean;
  /** Half-close after writing: the server sees the end of the request stream (a truncated request). */
  end?: boolean;
  /** The request is a HEAD request: its answer has headers only. */
  head?: boolean;
  /** Give up waiting for an answer after this long (generous: the machine is shared). */
  timeoutMs?: number;
}

/** Sends `pieces` over a fresh connection to 127.0.0.1:port and resolves with the first answer (or status 0). */
export function rawExchange(port: number, pieces: Buffer[], options: RawSendOptions = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (answer: RawAnswer | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (answer instanceof Error) reject(answer);
      else resolve(answer);
    };
    const timer = setTimeout(
      () => finish(new Error(`no answer within ${options.timeoutMs ?? 30_000} ms from port ${port}`)),
      options.timeoutMs ?? 30_000,
    );
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const answer = parseAnswer(Buffer.concat(chunks), false, options.head);
      if (answer) finish(answer);
    });
    // A reset after the server answered and closed is normal; anything before an answer is "closed without answering".
    socket.on('error', () => finish(parseAnswer(Buffer.concat(chunks), true) ?? { status: 0, headers: {}, body: Buffer.alloc(0) }));
    socket.on('close', () => finish(parseAnswer(Buffer.concat(chunks), true) ?? { status: 0, headers: {}, body: Buffer.alloc(0) }));
    socket.on('connect', () => {
      void (async () => {
        for (const piece of pieces) {
          if (socket.destroyed) return;
          socket.write(piece);
          if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
        }
        if (options.abort) {
          socket.destroy();
          finish({ status: 0, headers: {}, body: Buffer.alloc(0) });
        } else if (options.end) {
          socket.end();
        }
      })();
    });
  });
}

/** One complete answer (Content-Length or connection close framing; chunked bodies are taken whole), or undefined. */
function parseAnswer(data: Buffer, closed = false, head = false): RawAnswer | undefined {
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [statusLine, ...lines] = data.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1] ?? NaN);
  if (!Number.isFinite(status)) return undefined;
  if (status === 100) return parseAnswer(data.subarray(headEnd + 4), closed, head);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = data.subarray(headEnd + 4);
  // HEAD answers, 204 and 304 have no body whatever their headers say (RFC 9112 6.3).
  if (head || status === 204 || status === 304) return { status, headers, body: Buffer.alloc(0) };
  const length = headers['content-length'];
  if (length !== undefined) return body.length >= Number(length) ? { status, headers, body: body.subarray(0, Number(length)) } : undefined;
  if (headers['transfer-encoding'] === 'chunked') return body.includes('0\r\n\r\n') || closed ? { status, headers, body } : undefined;
  return closed ? { status, headers, body } : undefined;
}

/** The bytes of a request: request line (text, or raw bytes for invalid UTF-8), headers, blank line, body. */
export function requestBytes(requestLine: string | Buffer, headers: Array<[string, string]>, body: Buffer = Buffer.alloc(0)): Buffer {
  const line = typeof requestLine === 'string' ? Buffer.from(requestLine, 'utf8') : requestLine;
  const head = headers.map(([name, value]) => `\r\n${name}: ${value}`).join('');
  return Buffer.concat([line, Buffer.from(`${head}\r\n\r\n`, 'utf8'), body]);
}
