// Waits until a new instance's debug port answers on 127.0.0.1, so the attach event never names a port that is not listening yet.
import { get } from 'node:http';
import { readFile } from 'node:fs/promises';

const PROBE_INTERVAL_MS = 50;
const PROBE_TIMEOUT_MS = 1000;
/** The `st` column of /proc/net/tcp for a listening socket. */
const TCP_LISTEN = '0A';

/** Node: the inspector's HTTP endpoint answers (a published container port alone would accept connections early). */
function inspectorAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port, path: '/json/version', timeout: PROBE_TIMEOUT_MS }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/**
 * Python: the port is in LISTEN state on 127.0.0.1, read from /proc/net/tcp. debugpy must not be probed with a
 * connection: a client that leaves before the handshake makes it stop listening. Where /proc is missing (not Linux)
 * the port is taken as ready.
 */
async function portListening(port: number): Promise<boolean> {
  let table: string;
  try {
    table = await readFile('/proc/net/tcp', 'utf8');
  } catch {
    return true;
  }
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return table.split('\n').some((row) => {
    const fields = row.trim().split(/\s+/);
    return fields[1] === local && fields[3] === TCP_LISTEN;
  });
}

/** Resolves true once the port answers, false if `isAbandoned()` turns true first (newer instance, session ended, too late). */
export async function waitForDebugPort(runtime: 'node' | 'python', port: number, isAbandoned: () => boolean): Promise<boolean> {
  const probe = runtime === 'node' ? inspectorAnswers : portListening;
  while (!isAbandoned()) {
    if (await probe(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
  }
  return false;
}
