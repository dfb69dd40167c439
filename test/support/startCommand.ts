// Runs `lambda-workbench start` (the built CLI) as a child process for the test suites, and stops it with SIGINT.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';

const CLI = resolve(__dirname, '../../../dist/cli.js');

export interface RunningStart {
  child: ChildProcessWithoutNullStreams;
  /** Everything printed so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves once stderr contains `text` (function logs and access lines go there). */
  stderrHas(text: string): Promise<void>;
  /** SIGINT, then the exit code. */
  stop(): Promise<number | null>;
}

/** Spawns `start` in `cwd` and resolves once its start-up summary (ending with `readyLine`) is printed. */
export async function spawnStart(cwd: string, args: string[], readyLine: RegExp): Promise<RunningStart> {
  const child = spawn(process.execPath, [CLI, 'start', ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolveExit) => child.on('close', (code) => resolveExit(code)));
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolveReady, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (readyLine.test(stdout) && stdout.endsWith('\n')) resolveReady();
    });
    child.on('close', () => reject(new Error(`start exited early: ${stdout}${stderr}`)));
  });
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    stderrHas: (text) => new Promise<void>((resolveSeen) => {
      const check = () => {
        if (!stderr.includes(text)) return;
        child.stderr.off('data', check);
        resolveSeen();
      };
      child.stderr.on('data', check);
      check();
    }),
    stop: async () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}
