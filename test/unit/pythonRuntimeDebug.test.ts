// Unit tests of debugpy support in the Python runtime client: a real debugpy on loopback, driven over DAP from the test.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { freeLoopbackPort } from '../../src/core/common/loopbackPort';
import { RuntimeApiServer, type InvocationOutcome } from '../../src/core/runtimeApi/runtimeApiServer';
import { BREAK_ON_HANDLER_ENV } from '../../src/shared/runtimeProtocol';

const REPO = path.resolve(__dirname, '../../..');
const BOOTSTRAP = path.join(REPO, 'dist/runtimes/python/bootstrap.py');
const FIXTURES = path.join(REPO, 'test/fixtures/python');
const PYTHON = process.env.LWB_TEST_PYTHON ?? 'python3';
const DEBIAN_DIST_PACKAGES = '/usr/lib/python3/dist-packages';

/** debugpy as the runtime client finds it: in the interpreter, or Debian's python3-debugpy. */
function debugpyMissing(): string | false {
  const probe = `import sys; sys.path.append(${JSON.stringify(DEBIAN_DIST_PACKAGES)}); import debugpy, pydevd`;
  const result = spawnSync(PYTHON, ['-c', probe], { encoding: 'utf8' });
  return result.status === 0 ? false : `no debugpy that works with ${PYTHON} (apt-get install python3-debugpy, for Python 3.10+)`;
}
const skip = debugpyMissing();

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

interface DapMessage {
  type: 'request' | 'response' | 'event';
  seq: number;
  command?: string;
  event?: string;
  request_seq?: number;
  success?: boolean;
  message?: string;
  body?: Record<string, unknown>;
}

/** A minimal Debug Adapter Protocol client over TCP (Content-Length framing). */
class DapClient {
  private buffer = Buffer.alloc(0);
  private seq = 1;
  private readonly listeners: Array<(message: DapMessage) => boolean> = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  static connect(port: number): Promise<DapClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(new DapClient(socket)));
      socket.once('error', reject);
    });
  }

  request(command: string, args: Record<string, unknown> = {}): Promise<DapMessage> {
    const seq = this.seq++;
    const json = JSON.stringify({ type: 'request', seq, command, arguments: args });
    this.socket.write(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
    return this.next((m) => m.type === 'response' && m.request_seq === seq).then((response) => {
      assert.ok(response.success, `${command} failed: ${response.message}`);
      return response;
    });
  }

  event(name: string): Promise<DapMessage> {
    return this.next((m) => m.type === 'event' && m.event === name);
  }

  close(): void {
    this.socket.destroy();
  }

  private next(match: (message: DapMessage) => boolean): Promise<DapMessage> {
    return new Promise((resolve, reject) => {
      this.socket.once('close', () => reject(new Error('debug adapter connection closed')));
      this.listeners.push((message) => (match(message) ? (resolve(message), true) : false));
    });
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as DapMessage;
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      const index = this.listeners.findIndex((listener) => listener(message));
      if (index >= 0) this.listeners.splice(index, 1);
    }
  }
}

/** Runs bootstrap.py for the fixture handler with debugpy on `port`; always kills the process group afterwards. */
async function withDebuggedInstance(
  port: number, breakOnHandler: boolean,
  body: (server: RuntimeApiServer, ready: Promise<void>) => Promise<void>,
): Promise<void> {
  const server = await RuntimeApiServer.start();
  const child = spawn(PYTHON, [BOOTSTRAP], {
    cwd: FIXTURES,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, PYTHONDONTWRITEBYTECODE: '1', TZ: ':UTC',
      AWS_LAMBDA_RUNTIME_API: server.hostPort, _HANDLER: 'debug_target.handler', LAMBDA_TASK_ROOT: FIXTURES,
      AWS_LAMBDA_FUNCTION_NAME: 'PyDebug', LAMBDA_WORKBENCH_DEBUGPY_PORT: String(port),
      ...(breakOnHandler ? { [BREAK_ON_HANDLER_ENV]: '1' } : {}),
    },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdout.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    server.onNext(() => resolve());
    void exited.then(() => reject(new Error(`runtime exited before it was ready: ${stderr}`)));
  });
  ready.catch(() => undefined);
  try {
    await body(server, ready);
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
    await exited;
    await server.close();
  }
}

function invoke(server: RuntimeApiServer, payload: unknown): Promise<InvocationOutcome> {
  return server.invoke({
    requestId: randomUUID(), payload: Buffer.from(JSON.stringify(payload)), deadlineMs: Date.now() + 600_000,
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:PyDebug',
  });
}

/** Non-loopback IPv4 addresses of this machine, where debugpy must not be reachable. */
function externalAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flat()
    .filter((a): a is os.NetworkInterfaceInfo => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

describe('python runtime: debugpy', { skip }, () => {
  it('listens on 127.0.0.1 only and still serves invocations', async () => {
    const port = await freeLoopbackPort();
    await withDebuggedInstance(port, false, async (server, ready) => {
      await ready;
      assert.equal(await canConnect('127.0.0.1', port), true);
      for (const address of externalAddresses()) {
        assert.equal(await canConnect(address, port), false, `debugpy is reachable on ${address}:${port}`);
      }
      const outcome = await invoke(server, {});
      assert.equal(outcome.payload.toString(), '{"debugged": true}');
    });
  });

  it('waits for the debugger, then stops on the first line of the handler with the event in scope', async () => {
    const port = await freeLoopbackPort();
    await withDebuggedInstance(port, true, async (server, ready) => {
      // The runtime blocks in wait_for_client: it has not asked for work yet, so connect once debugpy listens.
      let client: DapClient | undefined;
      while (client === undefined) {
        client = await DapClient.connect(port).catch(() => undefined);
        if (client === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      try {
        await client.request('initialize', { clientID: 'lwb-test', adapterID: 'debugpy', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
        const initialized = client.event('initialized');
        const attached = client.request('attach', { justMyCode: true });
        await initialized;
        await client.request('configurationDone');
        await attached;
        await ready;

        const stopped = client.event('stopped');
        const outcome = invoke(server, { order: 42 });
        const threadId = (await stopped).body?.threadId as number;
        const trace = await client.request('stackTrace', { threadId, levels: 1 });
        const [frame] = trace.body?.stackFrames as Array<{ id: number; name: string; line: number; source: { path: string } }>;
        assert.equal(frame.name, 'handler');
        assert.equal(frame.source.path, path.join(FIXTURES, 'debug_target.py'));
        assert.equal(frame.line, 3);
        const evaluated = await client.request('evaluate', { expression: 'event', frameId: frame.id, context: 'watch' });
        assert.equal(evaluated.body?.result, "{'order': 42}");

        await client.request('continue', { threadId });
        assert.equal((await outcome).payload.toString(), '{"debugged": true}');
      } finally {
        client.close();
      }
    });
  });
});
