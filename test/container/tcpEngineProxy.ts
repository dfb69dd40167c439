// A stand-in for a remote Docker engine: plain HTTP on 127.0.0.1 in front of the local engine's unix socket, refusing bind mounts.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

const ENGINE_SOCKET = '/var/run/docker.sock';

/**
 * Forwards every request to the local engine, except container creations that bind-mount anything: a remote engine has
 * none of the client's paths, so those are answered 400 with a message saying so (and recorded). Hijacked connections
 * (attach with Upgrade) are spliced through.
 */
export class TcpEngineProxy {
  /** The bind mounts it refused, one "source:target" per mount. */
  readonly refused: string[] = [];
  private readonly sockets = new Set<Duplex>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<TcpEngineProxy> {
    const server = createServer();
    const proxy = new TcpEngineProxy(server);
    server.on('request', (incoming, outgoing) => void proxy.forward(incoming, outgoing));
    server.on('upgrade', (incoming: IncomingMessage, socket: Duplex, head: Buffer) => proxy.splice(incoming, socket, head));
    server.on('connection', (socket) => proxy.track(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** tcp://127.0.0.1:PORT, as DOCKER_HOST or the dockerHost setting takes it. */
  get address(): string {
    return `tcp://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Duplex): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private async forward(incoming: IncomingMessage, outgoing: import('node:http').ServerResponse): Promise<void> {
    let body: Buffer | undefined;
    if (incoming.method === 'POST' && /\/containers\/create(\?|$)/.test(incoming.url ?? '')) {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      body = Buffer.concat(chunks);
      const binds = bindMounts(JSON.parse(body.toString('utf8') || '{}'));
      if (binds.length > 0) {
        this.refused.push(...binds);
        outgoing.writeHead(400, { 'content-type': 'application/json' });
        outgoing.end(JSON.stringify({ message: `bind mounts are refused: this engine runs on another machine and has none of the client's paths (${binds.join(', ')})` }));
        return;
      }
    }
    const upstream = request({ socketPath: ENGINE_SOCKET, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      // Streams (attach, logs, wait) may say nothing for a while: the client needs their headers now.
      outgoing.flushHeaders();
      answer.pipe(outgoing);
    });
    upstream.on('error', () => outgoing.destroy());
    if (body) upstream.end(body);
    else incoming.pipe(upstream);
  }

  private splice(incoming: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.track(socket);
    const engine = connect(ENGINE_SOCKET, () => {
      const lines = [`${incoming.method} ${incoming.url} HTTP/1.1`];
      for (let i = 0; i < incoming.rawHeaders.length; i += 2) lines.push(`${incoming.rawHeaders[i]}: ${incoming.rawHeaders[i + 1]}`);
      engine.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) engine.write(head);
      engine.pipe(socket);
      socket.pipe(engine);
    });
    this.track(engine);
    engine.on('error', () => socket.destroy());
    socket.on('error', () => engine.destroy());
  }
}

/** Every bind mount a container-create body asks for (HostConfig.Binds and Mounts of type bind). */
function bindMounts(config: { HostConfig?: { Binds?: string[]; Mounts?: { Type?: string; Source?: string; Target?: string }[] } }): string[] {
  const binds = config.HostConfig?.Binds ?? [];
  const mounts = (config.HostConfig?.Mounts ?? []).filter((mount) => mount.Type === 'bind').map((mount) => `${mount.Source}:${mount.Target}`);
  return [...binds, ...mounts];
}
