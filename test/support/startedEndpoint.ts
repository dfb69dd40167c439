// Starts the Lambda endpoint for the suites, with a Lambda SDK client: the built CLI's `lambda-workbench start` as a child process, or the Invoke API in the test process.
import { LambdaClient } from '@aws-sdk/client-lambda';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { startInvokeApi, type InvokeApi } from '../../src/core/api/invokeApi';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import { LambdaService } from '../../src/core/service/lambdaService';
import { descendantsOf } from './processTree';
import { localCodeRoots } from '../../src/core/api/lambda/localCodePaths';

const CLI = resolve(__dirname, '../../../dist/cli.js');
const INVOKE_API_LINE = /^Invoke API listening on (http:\/\/127\.0\.0\.1:\d+)$/m;

export interface StartedEndpoint {
  /** The Invoke API (the AWS endpoint) as the CLI printed it. */
  url: string;
  client: LambdaClient;
  /** The spawned process (the wrapper's, when wrapped). */
  pid: number;
  /** Resolves with the exit code once the process has exited (however it was ended). */
  exited: Promise<number | null>;
  /** Everything printed on stdout up to the ready line (the start-up summary). */
  banner: string;
  /** Everything printed so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves once stderr contains `text` (function logs and access lines go there). */
  stderrHas(text: string): Promise<void>;
  /** SIGINT, then waits for the exit code. */
  stop(): Promise<number | null>;
}

/** Runs the CLI through another program (e.g. bubblewrap with a read-only folder): it returns the command line to spawn. */
export type CliWrapper = (command: string, args: string[]) => { command: string; args: string[] };

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  wrap?: CliWrapper;
  /** Resolve once stdout also matches this (besides the Invoke API line) and the summary is complete (it is written ending with a newline). */
  readyLine?: RegExp;
  /** Keep only about this many of the last characters of stderr (a test that floods the log). */
  stderrTail?: number;
}

/** A Lambda SDK client for a local endpoint: any credentials, no retries (a retry would hide what the endpoint answered). */
export function lambdaClient(url: string): LambdaClient {
  return new LambdaClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
}

/** `start --port 0` in `cwd` (extra CLI arguments appended), resolved once it has printed its start-up summary. */
export async function startEndpoint(cwd: string, args: string[] = [], options: StartOptions = {}): Promise<StartedEndpoint> {
  const plain = { command: process.execPath, args: [CLI, 'start', '--port', '0', ...args] };
  const launch = options.wrap ? options.wrap(plain.command, plain.args) : plain;
  const child = spawn(launch.command, launch.args, { cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (options.stderrTail && stderr.length > 2 * options.stderrTail) stderr = stderr.slice(-options.stderrTail);
  });
  const exited = new Promise<number | null>((resolveExit) => child.on('close', (code) => resolveExit(code)));
  await new Promise<void>((resolveReady, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (INVOKE_API_LINE.test(stdout) && (options.readyLine?.test(stdout) ?? true) && stdout.endsWith('\n')) resolveReady();
    });
    void exited.then((code) => reject(new Error(`start exited (${code}) before it was ready:\n${stdout}\n${stderr}`)));
  });
  const url = INVOKE_API_LINE.exec(stdout)?.[1] as string;
  const client = lambdaClient(url);
  return {
    url,
    client,
    pid: child.pid as number,
    exited,
    banner: stdout,
    output: () => ({ stdout, stderr }),
    stderrHas: (text) => new Promise<void>((resolveSeen) => {
      const check = () => {
        if (!stderr.includes(text)) return;
        child.stderr.off('data', check);
        resolveSeen();
      };
      child.stderr.on('data', check);
      check();
    }),
    stop: () => {
      client.destroy();
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      // Wrapped, the CLI is the wrapper's descendant: Ctrl-C goes to the CLI itself (a wrapper need not pass it on).
      const cli = options.wrap ? descendantsOf(child.pid as number).find((p) => p.command.includes(CLI)) : undefined;
      process.kill(cli?.pid ?? (child.pid as number), 'SIGINT');
      return exited;
    },
  };
}

/** An endpoint started in a temporary folder (a copy of a fixture), the same object across restarts. */
export interface FixtureEndpoint extends StartedEndpoint {
  /** The temporary folder `start` runs in. */
  readonly dir: string;
  /** Stops the endpoint (asserting nothing) and starts it again on the same folder, with the same arguments. */
  restart(): Promise<void>;
  /** Settings for the SDK's waiters (waitUntilFunctionActiveV2, ...): polls every second, for a minute at most. */
  waiter(): { client: LambdaClient; maxWaitTime: number; minDelay: number; maxDelay: number };
}

/**
 * For a describe block: copies `fixture` (if any) into a temporary folder, runs `prepare` on it and starts the endpoint
 * there (before), then stops it and removes the folder (after).
 */
export function endpointOnFixture(
  fixture: string | undefined,
  options: StartOptions & { args?: string[]; prepare?: (dir: string) => void | Promise<void> } = {},
): FixtureEndpoint {
  let dir: string | undefined;
  let current: StartedEndpoint | undefined;
  const started = (): StartedEndpoint => {
    if (!current) throw new Error('the endpoint is not started (use it inside the describe block\'s tests)');
    return current;
  };
  const begin = async (): Promise<void> => {
    current = await startEndpoint(dir as string, options.args, options);
  };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-endpoint-'));
    if (fixture) cpSync(fixture, dir, { recursive: true });
    await options.prepare?.(dir);
    await begin();
  });
  after(async () => {
    await current?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir as string;
    },
    get url() {
      return started().url;
    },
    get client() {
      return started().client;
    },
    get pid() {
      return started().pid;
    },
    get exited() {
      return started().exited;
    },
    get banner() {
      return started().banner;
    },
    output: () => started().output(),
    stderrHas: (text) => started().stderrHas(text),
    stop: () => started().stop(),
    restart: async () => {
      await started().stop();
      await begin();
    },
    waiter: () => ({ client: started().client, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }),
  };
}

/** The Invoke API served from the test process, over a LambdaService of a template on the process backend. */
export interface InProcessEndpoint {
  readonly service: LambdaService;
  readonly api: InvokeApi;
  readonly client: LambdaClient;
}

/** For a describe block: the service of `template` and the Invoke API over it (before), all of it closed (after). */
export function inProcessEndpoint(template: string): InProcessEndpoint {
  let stateDir: string | undefined;
  let running: InProcessEndpoint | undefined;
  const started = (): InProcessEndpoint => {
    if (!running) throw new Error('the endpoint is not started (use it inside the describe block\'s tests)');
    return running;
  };
  before(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'lwb-api-'));
    const service = new LambdaService(await FunctionRegistry.fromTemplates([template]), { backend: new ProcessBackend(), stateDir });
    const api = await startInvokeApi(service, { port: 0, localCodeRoots: localCodeRoots([dirname(template)], stateDir) });
    running = { service, api, client: lambdaClient(api.url) };
  });
  after(async () => {
    running?.client.destroy();
    await running?.api.close();
    await running?.service.dispose();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });
  return {
    get service() {
      return started().service;
    },
    get api() {
      return started().api;
    },
    get client() {
      return started().client;
    },
  };
}

/** The error an SDK call rejects with (its HTTP status in $metadata); throws when the call succeeds. */
export async function failure(promise: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail');
}
