// Security: every socket `lambda-workbench start` listens on (Invoke API, function URLs, API Gateway, event sources, Runtime API) is on 127.0.0.1.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { listeningSocketsOf } from '../support/listeningSockets';
import { descendantsOf } from '../support/processTree';

const CLI = resolve(__dirname, '../../../dist/cli.js');
const TEMPLATE = resolve(__dirname, '../../../test/fixtures/fuzz/template.yaml');

describe('listening sockets', () => {
  it('binds every server of start, and every Runtime API of its environments, to 127.0.0.1 only', { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, [CLI, 'start', '--template', TEMPLATE, '--port', '0', '--api-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolveExit) => child.on('close', (code) => resolveExit(code)));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const stdout = await new Promise<string>((resolveOut, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (['Invoke API listening on ', 'Function URLs:', 'API Gateway listening on ', 'Event sources on '].every((line) => text.includes(line))) resolveOut(text);
        });
        child.on('close', () => reject(new Error(`start exited early: ${text}${stderr}`)));
      });
      const invokeUrl = /^Invoke API listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout)?.[1];
      assert.ok(invokeUrl, stdout);
      // A warm environment: its Runtime API server listens too.
      const invoked = await fetch(`${invokeUrl}/2015-03-31/functions/FuzzFunction/invocations`, { method: 'POST', body: '{"mode":"none"}' });
      assert.equal(invoked.status, 200, await invoked.text());

      const pids = [child.pid as number, ...descendantsOf(child.pid as number).map((p) => p.pid)];
      const sockets = listeningSocketsOf(pids);
      const ports = [...stdout.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
      for (const port of new Set(ports)) assert.ok(sockets.some((s) => s.port === port), `port ${port} printed by start is among the sockets found`);
      assert.ok(sockets.length >= new Set(ports).size + 1, `the servers and a Runtime API listen: ${JSON.stringify(sockets)}`);
      for (const socket of sockets) assert.equal(socket.address, '127.0.0.1', `port ${socket.port} (pid ${socket.pid}) listens on 127.0.0.1 only`);
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0, stderr);
  });
});
