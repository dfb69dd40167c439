// The floor of the benchmark (child process started by the harness): a bare keep-alive HTTP server on 127.0.0.1
// that answers each POST with the trivial handler's result, computed inline. Usage: node floorServer.js <port>.
import * as http from 'node:http';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node floorServer.js <port>');
  process.exit(2);
}

const server = http.createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const event = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { n?: unknown };
    const body = JSON.stringify({ statusCode: 200, body: JSON.stringify({ ok: true, n: event.n }) });
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
