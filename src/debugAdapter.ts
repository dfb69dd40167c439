// Standalone debug adapter entry (dist/debugAdapter.js): DAP over stdio, or over TCP on 127.0.0.1 with --server=PORT.
// stdout carries the protocol in stdio mode: diagnostics go to stderr only.
import { createServer } from 'node:net';
import { LambdaDebugSession } from './adapter/lambdaDebugSession';

function serverPort(argv: string[]): number | undefined {
  const flag = argv.find((arg) => arg.startsWith('--server='));
  if (flag === undefined) return undefined;
  const port = Number(flag.slice('--server='.length));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Invalid ${flag}: expected --server=PORT with PORT between 0 and 65535.`);
    process.exit(2);
  }
  return port;
}

const port = serverPort(process.argv.slice(2));
if (port === undefined) {
  const session = new LambdaDebugSession();
  process.on('SIGTERM', () => session.shutdown());
  session.start(process.stdin, process.stdout);
} else {
  const server = createServer((socket) => {
    // The session stops its function when the connection closes (DebugSession emits 'close' -> shutdown()).
    const session = new LambdaDebugSession();
    session.setRunAsServer(true);
    session.start(socket, socket);
  });
  server.listen(port, '127.0.0.1', () => {
    const address = server.address();
    console.error(`Lambda Workbench debug adapter listening on 127.0.0.1:${typeof address === 'object' && address ? address.port : port}`);
  });
}
