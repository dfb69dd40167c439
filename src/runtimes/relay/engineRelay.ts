// Runs in a helper container whose network a function's container shares, on an engine of another machine: hands the function's loopback connections (Runtime API, local endpoints) to uplinks the workbench opens, and uplinks asking for a port (the debugger) to that port inside.
import { timingSafeEqual } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import {
  RELAY_CONNECT,
  RELAY_IDLE,
  RELAY_PORTS_ENV,
  RELAY_READY,
  RELAY_TOKEN_ENV,
  RELAY_UPLINK_PORT_ENV,
  readHeaderLine,
} from '../../shared/relayProtocol';

/** With no uplink for this long after the first one, the workbench is gone: the relay ends (and its container with it). */
const ORPHANED_EXIT_MS = 10_000;

const token = Buffer.from(process.env[RELAY_TOKEN_ENV] ?? '');
const uplinkPort = Number(process.env[RELAY_UPLINK_PORT_ENV]);
const innerPorts = (process.env[RELAY_PORTS_ENV] ?? '').split(',').filter(Boolean).map(Number);
delete process.env[RELAY_TOKEN_ENV];

/** Uplinks offered by the workbench, waiting for a connection made inside. */
const idle: Socket[] = [];
/** An idle uplink keeps reading (so its end is seen at once); the workbench sends nothing on it before a hand-over. */
const unexpectedData = new WeakMap<Socket, () => void>();
/** Connections made inside, waiting for an uplink. */
const waiting: { client: Socket; port: number }[] = [];
let openUplinks = 0;
let orphanTimer: NodeJS.Timeout | undefined;

function splice(a: Socket, b: Socket): void {
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.on('close', () => b.destroy());
  b.on('close', () => a.destroy());
  a.pipe(b);
  b.pipe(a);
}

function pair(): void {
  while (idle.length > 0 && waiting.length > 0) {
    const uplink = idle.shift()!;
    const { client, port } = waiting.shift()!;
    if (client.destroyed) {
      idle.unshift(uplink);
      continue;
    }
    uplink.off('data', unexpectedData.get(uplink)!);
    uplink.write(`${port}\n`);
    splice(client, uplink);
    client.resume();
  }
}

function authentic(presented: string): boolean {
  const bytes = Buffer.from(presented);
  return token.length > 0 && bytes.length === token.length && timingSafeEqual(bytes, token);
}

async function acceptUplink(uplink: Socket): Promise<void> {
  openUplinks += 1;
  clearTimeout(orphanTimer);
  uplink.on('error', () => uplink.destroy());
  uplink.on('close', () => {
    openUplinks -= 1;
    const at = idle.indexOf(uplink);
    if (at >= 0) idle.splice(at, 1);
    if (openUplinks === 0) orphanTimer = setTimeout(() => process.exit(0), ORPHANED_EXIT_MS);
  });
  const [presented = '', mode, port] = (await readHeaderLine(uplink))?.split(' ') ?? [];
  if (!authentic(presented)) return void uplink.destroy();
  if (mode === RELAY_IDLE) {
    uplink.write(`${RELAY_READY}\n`);
    const drop = (): void => void uplink.destroy();
    unexpectedData.set(uplink, drop);
    uplink.on('data', drop);
    uplink.resume();
    idle.push(uplink);
    pair();
  } else if (mode === RELAY_CONNECT && Number(port) > 0) {
    const inner = connect(Number(port), '127.0.0.1', () => {
      splice(uplink, inner);
      uplink.resume();
    });
    inner.on('error', () => uplink.destroy());
  } else {
    uplink.destroy();
  }
}

function listenInside(port: number): Promise<void> {
  const server = createServer({ pauseOnConnect: true }, (client) => {
    waiting.push({ client, port });
    pair();
  });
  return new Promise((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
}

async function main(): Promise<void> {
  // The inside ports first: once the uplink port answers, every connection made inside finds its listener.
  await Promise.all(innerPorts.map(listenInside));
  createServer((uplink) => void acceptUplink(uplink)).listen(uplinkPort, '0.0.0.0');
}

main().catch((error: unknown) => {
  process.stderr.write(`lambda-workbench relay: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
