// Runs the built CLI's `lambda-workbench start` as a child process and gives a Lambda SDK client for its endpoint (test process side).
import { LambdaClient } from '@aws-sdk/client-lambda';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

export interface StartedEndpoint {
  url: string;
  client: LambdaClient;
  output(): { stdout: string; stderr: string };
  /** SIGINT, then waits for the exit code. */
  stop(): Promise<number | null>;
}

/** `start --port 0` in `cwd` (extra CLI arguments appended), resolved once it prints its endpoint. */
export async function startEndpoint(cwd: string, args: string[] = []): Promise<StartedEndpoint> {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'start', '--port', '0', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^Invoke API listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout);
      if (match) resolve(match[1] as string);
    });
    void exited.then((code) => reject(new Error(`start exited (${code}) before listening:\n${stdout}\n${stderr}`)));
  });
  const client = new LambdaClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return {
    url,
    client,
    output: () => ({ stdout, stderr }),
    stop: async () => {
      client.destroy();
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
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
