// Runs `lambda-workbench start` as a real child process and counts what reaches it through a loopback proxy (test process side).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { descendantsOf } from './processTree';

const CLI = resolve(__dirname, '../../../dist/cli.js');

export interface StartedCli {
  /** The Invoke API as the CLI printed it. */
  apiUrl: string;
  /** The spawned process (bubblewrap's, when wrapped). */
  pid: number;
  /** Resolves with the exit code once the process has exited (however it was ended). */
  exited: Promise<number | null>;
  /** Everything printed on stdout up to the listening line (the function list). */
  banner: string;
  stderr(): string;
  /** SIGINT, then the exit code. */
  stop(): Promise<number | null>;
}

/** Runs the CLI through another program (e.g. bubblewrap with a read-only folder): it returns the command line to spawn. */
export type CliWrapper = (command: string, args: string[]) => { command: string; args: string[] };

export interface StartCliOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  wrap?: CliWrapper;
  /** Keep only about this many of the last characters of stderr (a test that floods the log). */
  stderrTail?: number;
}

export async function startCli(args: string[], options: StartCliOptions): Promise<StartedCli> {
  const plain = { command: process.execPath, args: [CLI, 'start', '--port', '0', ...args] };
  const launch = options.wrap ? options.wrap(plain.command, plain.args) : plain;
  const child: ChildProcess = spawn(launch.command, launch.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolveExit) => child.on('close', (code) => resolveExit(code)));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (options.stderrTail && stderr.length > 2 * options.stderrTail) stderr = stderr.slice(-options.stderrTail);
  });
  let stdout = '';
  const apiUrl = await new Promise<string>((resolveUrl, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^Invoke API listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout);
      // The banner is written in one piece, ending with an empty line.
      if (match && stdout.endsWith('\n')) resolveUrl(match[1]!);
    });
    child.on('close', () => reject(new Error(`start exited early: ${stdout}${stderr}`)));
  });
  return {
    apiUrl,
    pid: child.pid as number,
    exited,
    banner: stdout,
    stderr: () => stderr,
    stop: () => {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      // Wrapped, the CLI is the wrapper's descendant: Ctrl-C goes to the CLI itself (a wrapper need not pass it on).
      const cli = options.wrap ? descendantsOf(child.pid as number).find((p) => p.command.includes(CLI)) : undefined;
      process.kill(cli?.pid ?? (child.pid as number), 'SIGINT');
      return exited;
    },
  };
}

/** A loopback HTTP proxy to `target` that counts the requests it forwards. */
export interface CountingProxy {
  url: string;
  readonly requests: number;
  close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const to = new URL(target);
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    const upstream = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    close: () => new Promise((resolveClose) => {
      server.closeAllConnections();
      server.close(() => resolveClose());
    }),
  };
}
