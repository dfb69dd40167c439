// Loopback HTTP server plumbing shared by every local server (Invoke API, function URLs, event sources, Runtime API): listen, Host check, close.
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
 * only under a foreign Host name). Empty until `allowPort` is called with the bound port.
 */
export class LoopbackHosts {
  private readonly names = new Set<string>();

  allowPort(port: number): void {
    this.names.add(`127.0.0.1:${port}`).add(`localhost:${port}`);
  }

  accepts(req: IncomingMessage): boolean {
    return this.names.has(req.headers.host ?? '');
  }

  /** "127.0.0.1:PORT or localhost:PORT", for refusal messages. */
  describe(): string {
    return [...this.names].join(' or ');
  }
}
