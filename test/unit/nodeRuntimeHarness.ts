// Test helper: runs the built Node bootstrap against a real RuntimeApiServer, with a fixture from test/fixtures/handlers.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { afterEach } from 'node:test';
import {
  type InvocationEvent,
  type InvocationOutcome,
  type InvokeOptions,
  RuntimeApiServer,
} from '../../src/core/runtimeApi/runtimeApiServer';
import type { Duplex } from 'node:stream';
import { RUNTIME_CHANNEL_ENV, RUNTIME_CHANNEL_FD } from '../../src/shared/runtimeChannel';
import { FLUSH_MARKER } from '../../src/shared/runtimeProtocol';

const ROOT = path.resolve(__dirname, '../../..');
export const BOOTSTRAP = path.join(ROOT, 'dist/runtimes/node/bootstrap.js');
export const HANDLER_FIXTURES = path.join(ROOT, 'test/fixtures/handlers');
export const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:fixture';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class RuntimeUnderTest {
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  readonly initError: Promise<{ payload: Buffer; errorType: string }>;

  private constructor(readonly server: RuntimeApiServer, private readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (text: string) => { this.stdout += text; });
    child.stderr?.setEncoding('utf8').on('data', (text: string) => { this.stderr += text; });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    this.initError = new Promise((resolve) => server.onInitError(resolve));
  }

  /**
   * Starts `node bootstrap.js` in the fixture folder with a minimal Lambda environment; `channel`: with the runtime
   * channel on descriptor 3, as the process backend starts it; `nodeArgs`: Node.js options before bootstrap.js.
   */
  static async start(fixture: string, handler: string, env: Record<string, string> = {}, channel = false, nodeArgs: string[] = []): Promise<RuntimeUnderTest> {
    const server = await RuntimeApiServer.start();
    const cwd = path.join(HANDLER_FIXTURES, fixture);
    const child = spawn(process.execPath, [...nodeArgs, BOOTSTRAP], {
      cwd,
      stdio: channel ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        AWS_LAMBDA_RUNTIME_API: server.hostPort,
        _HANDLER: handler,
        LAMBDA_TASK_ROOT: cwd,
        AWS_LAMBDA_FUNCTION_NAME: 'fixture',
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
        AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/fixture',
        AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[$LATEST]0123456789abcdef',
        AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING: '1',
        ...(channel ? { [RUNTIME_CHANNEL_ENV]: String(RUNTIME_CHANNEL_FD) } : {}),
        ...env,
      },
    });
    if (channel) server.attachChannel(child.stdio[RUNTIME_CHANNEL_FD] as Duplex);
    return new RuntimeUnderTest(server, child);
  }

  /** Invokes and, like the engine, waits until the runtime's output up to its flush marker has been read (or it exited). */
  async invoke(payload: unknown, event: Partial<InvocationEvent> = {}, options?: InvokeOptions): Promise<InvocationOutcome> {
    const requestId = event.requestId ?? randomUUID();
    const outcome = await this.server.invoke({
      requestId,
      payload: Buffer.from(JSON.stringify(payload)),
      deadlineMs: Date.now() + 60_000,
      invokedFunctionArn: FUNCTION_ARN,
      ...event,
    }, options);
    const marker = `${FLUSH_MARKER}${requestId}\n`;
    const flushed = () => this.stdout.includes(marker) && this.stderr.includes(marker);
    const deadline = Date.now() + 2_000;
    while (!flushed() && this.child.exitCode === null && this.child.signalCode === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return outcome;
  }

  /** Kills the runtime (if still running) and closes its server. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    await this.server.close();
  }
}

/** Call inside a describe(): returns the suite's start(); every runtime a test started is stopped after it. */
export function runtimePerTest(channel = false): (fixture: string, handler: string, env?: Record<string, string>) => Promise<RuntimeUnderTest> {
  const started: RuntimeUnderTest[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((runtime) => runtime.stop()));
  });
  return async (fixture, handler, env) => {
    const runtime = await RuntimeUnderTest.start(fixture, handler, env, channel);
    started.push(runtime);
    return runtime;
  };
}

export function json(outcome: InvocationOutcome): unknown {
  return JSON.parse(outcome.payload.toString('utf8'));
}
