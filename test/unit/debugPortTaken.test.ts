// A debug port another program holds: the CLI refuses it up front, and a runtime started for debugging stops instead of running undebugged.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RuntimeApiServer } from '../../src/core/runtimeApi/runtimeApiServer';
import { RuntimeUnderTest } from './nodeRuntimeHarness';

const REPO = path.resolve(__dirname, '../../..');
const PYTHON = process.env.LWB_TEST_PYTHON ?? 'python3';

/** Another program's listener on a free loopback port. */
function holdPort(): Promise<{ port: number; server: Server }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as { port: number }).port, server }));
  });
}

function debugpyMissing(): string | false {
  const probe = "import sys; sys.path.append('/usr/lib/python3/dist-packages'); import debugpy, pydevd";
  return spawnSync(PYTHON, ['-c', probe]).status === 0 ? false : `no debugpy that works with ${PYTHON}`;
}

describe('a debug port that is taken', () => {
  it('makes `invoke --debug-port` fail before anything runs, naming the port', { timeout: 90_000 }, async () => {
    const held = await holdPort();
    try {
      const cli = spawnSync(process.execPath, [
        path.join(REPO, 'dist/cli.js'), 'invoke', 'trivial', '--template', path.join(REPO, 'bench/fixtures/trivial/template.yaml'),
        '--debug-port', String(held.port),
      ], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(cli.status, 2, cli.stderr);
      assert.match(cli.stderr, new RegExp(`Port ${held.port} on 127\\.0\\.0\\.1 is already in use\\. Stop the program that uses it or choose another --debug-port\\.`));
      assert.doesNotMatch(cli.stdout + cli.stderr, /START RequestId|INIT_START/);
    } finally {
      held.server.close();
    }
  });

  it('stops the Node.js runtime before the handler loads, saying why', { timeout: 60_000 }, async () => {
    const held = await holdPort();
    const runtime = await RuntimeUnderTest.start('async', 'index.handler', {}, false, [`--inspect-wait=127.0.0.1:${held.port}`]);
    let asked = false;
    runtime.server.onNext(() => (asked = true));
    try {
      const exit = await runtime.exited;
      assert.deepEqual(exit, { code: 1, signal: null }, runtime.stderr);
      assert.match(runtime.stderr, new RegExp(`Starting inspector on 127\\.0\\.0\\.1:${held.port} failed: address already in use`));
      assert.match(runtime.stderr, new RegExp(`started for debugging, but the debugger could not listen on 127\\.0\\.0\\.1:${held.port} .*so the function was not run\\.`));
      assert.equal(asked, false, 'the runtime never asked for an invocation');
    } finally {
      held.server.close();
      await runtime.server.close();
    }
  });

  it('stops the Python runtime with the port in its message, not advice to reinstall debugpy', { skip: debugpyMissing(), timeout: 60_000 }, async () => {
    const held = await holdPort();
    const server = await RuntimeApiServer.start();
    let asked = false;
    server.onNext(() => (asked = true));
    const fixtures = path.join(REPO, 'test/fixtures/python');
    const child = spawn(PYTHON, [path.join(REPO, 'dist/runtimes/python/bootstrap.py')], {
      cwd: fixtures,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        PATH: process.env.PATH, HOME: process.env.HOME, PYTHONDONTWRITEBYTECODE: '1',
        AWS_LAMBDA_RUNTIME_API: server.hostPort, _HANDLER: 'debug_target.handler', LAMBDA_TASK_ROOT: fixtures,
        AWS_LAMBDA_FUNCTION_NAME: 'PyDebug', LAMBDA_WORKBENCH_DEBUGPY_PORT: String(held.port),
      },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    try {
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 1, stderr);
      assert.match(stderr, new RegExp(`started for debugging, but the debugger could not listen on 127\\.0\\.0\\.1:${held.port}: another program uses that port, so the function was not run\\.`));
      assert.doesNotMatch(stderr, /pip install/);
      assert.equal(asked, false, 'the runtime never asked for an invocation');
    } finally {
      held.server.close();
      await server.close();
    }
  });
});
