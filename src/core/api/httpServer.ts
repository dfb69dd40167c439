// Loopback HTTP server plumbing shared by the Invoke API and function URLs: listen with a clear port error, close everything.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkbenchError } from '../common/errors';

/** Listens on the loopback address; a port in use becomes PORT_IN_USE with a hint. Resolves with the bound port. */
export function listenLoopback(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(new WorkbenchError('PORT_IN_USE', `Port ${port} on ${host} is already in use.`, {
          hint: 'Stop the program using it, or choose another port (for example --port 3002, or 0 for any free port).',
          cause: error,
        }));
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
