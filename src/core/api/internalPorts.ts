// The loopback port range of servers that only Lambda Workbench itself talks to (Runtime API, debugger ports), which the
// manifest keeps out of editors' port auto-forwarding (`remote.portsAttributes` "28400-28999": onAutoForward ignore).
import { createServer, type Server } from 'node:http';
import { randomInt } from 'node:crypto';
import { isWorkbenchError } from '../common/errors';
import { closeServer, listenLoopback } from './httpServer';

/** Below every OS's ephemeral range (Linux 32768+, Windows and macOS 49152+), so port-0 servers rarely take them. */
export const INTERNAL_PORTS = { first: 28400, last: 28999 } as const;

/** The `remote.portsAttributes` key of the range, as package.json contributes it. */
export const INTERNAL_PORTS_KEY = `${INTERNAL_PORTS.first}-${INTERNAL_PORTS.last}`;

/** Ports of reserveInternalPort not yet released: this process's own internal servers pass over them. */
const reserved = new Set<number>();

/**
 * Listens on a free port of the internal range (from a random one on, wrapping around, passing over reserved ones);
 * when all are taken, on any free port. Resolves with the bound port.
 */
export async function listenInternal(server: Server, host = '127.0.0.1'): Promise<number> {
  const size = INTERNAL_PORTS.last - INTERNAL_PORTS.first + 1;
  const start = randomInt(size);
  for (let i = 0; i < size; i++) {
    const port = INTERNAL_PORTS.first + ((start + i) % size);
    if (reserved.has(port)) continue;
    try {
      return await listenLoopback(server, port, host);
    } catch (error) {
      if (!isWorkbenchError(error) || error.code !== 'PORT_IN_USE') throw error;
    }
  }
  return listenLoopback(server, 0, host);
}

export interface PortReservation {
  readonly port: number;
  /** Lets this process's internal servers use the port again. */
  release(): void;
}

/**
 * A port of the internal range that was free a moment ago, kept from this process's own internal servers until released:
 * a debug session's inspector or debugpy port, which each environment of the session opens in turn while the service
 * starts a Runtime API server in the same range for every environment.
 */
export async function reserveInternalPort(): Promise<PortReservation> {
  const probe = createServer();
  const port = await listenInternal(probe);
  reserved.add(port);
  await closeServer(probe);
  return { port, release: () => reserved.delete(port) };
}
