// Security: every socket `lambda-workbench start` listens on (Invoke API, function URLs, API Gateway, event sources, Runtime API) is on 127.0.0.1.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { listeningSocketsOf } from '../support/listeningSockets';
import { descendantsOf } from '../support/processTree';
import { startEndpoint } from '../support/startedEndpoint';

const TEMPLATE = resolve(__dirname, '../../../test/fixtures/fuzz/template.yaml');
/** Every server's line of the start-up summary (the Invoke API's is always awaited). */
const EVERY_SERVER = /(?=[\s\S]*^Function URLs:)(?=[\s\S]*^API Gateway listening on )(?=[\s\S]*^Event sources on )/m;

describe('listening sockets', () => {
  it('binds every server of start, and every Runtime API of its environments, to 127.0.0.1 only', { timeout: 120_000 }, async () => {
    const start = await startEndpoint(process.cwd(), ['--template', TEMPLATE, '--api-port', '0'], { readyLine: EVERY_SERVER });
    let exitCode: number | null;
    try {
      const { stdout } = start.output();
      // A warm environment: its Runtime API server listens too.
      const invoked = await fetch(`${start.url}/2015-03-31/functions/FuzzFunction/invocations`, { method: 'POST', body: '{"mode":"none"}' });
      assert.equal(invoked.status, 200, await invoked.text());

      const pids = [start.pid, ...descendantsOf(start.pid).map((p) => p.pid)];
      const sockets = listeningSocketsOf(pids);
      const ports = [...stdout.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
      for (const port of new Set(ports)) assert.ok(sockets.some((s) => s.port === port), `port ${port} printed by start is among the sockets found`);
      assert.ok(sockets.length >= new Set(ports).size + 1, `the servers and a Runtime API listen: ${JSON.stringify(sockets)}`);
      for (const socket of sockets) assert.equal(socket.address, '127.0.0.1', `port ${socket.port} (pid ${socket.pid}) listens on 127.0.0.1 only`);
    } finally {
      exitCode = await start.stop();
    }
    assert.equal(exitCode, 0, start.output().stderr);
  });
});
