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

/**
 * Listens on a free port of the internal range (from a random one on, wrapping around); when all are taken, on any
 * free port. Resolves with the bound port.
 */
export async function listenInternal(server: Server, host = '127.0.0.1'): Promise<number> {
  const size = INTERNAL_PORTS.last - INTERNAL_PORTS.first + 1;
  const start = randomInt(size);
  for (let i = 0; i < size; i++) {
    try {
      return await listenLoopback(server, INTERNAL_PORTS.first + ((start + i) % size), host);
    } catch (error) {
      if (!isWorkbenchError(error) || error.code !== 'PORT_IN_USE') throw error;
    }
  }
  return listenLoopback(server, 0, host);
}

/** A port of the internal range that was free a moment ago (a debugged instance's inspector or debugpy port). */
export async function freeInternalPort(): Promise<number> {
  const probe = createServer();
  const port = await listenInternal(probe);
  await closeServer(probe);
  return port;
}
