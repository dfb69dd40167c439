// A service under measurement run as a child process (bench harness): start, output kept for diagnosis, stop by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { endProcessTree, treeMemory, type TreeMemory } from './processTree';

const KEPT_OUTPUT_CHARS = 4096;

export interface ServedProcessOptions {
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * A started child process. Its output is read (so it never blocks on a full pipe) and only the tail is kept;
 * `stop()` ends its whole process tree.
 */
export class ServedProcess {
  readonly startedAt: bigint;
  private readonly child: ChildProcess;
  private output = '';
  private exit: string | undefined;
  private readonly lineListeners = new Set<(line: string) => void>();

  constructor(readonly label: string, options: ServedProcessOptions) {
    this.startedAt = process.hrtime.bigint();
    this.child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString('utf8')).slice(-KEPT_OUTPUT_CHARS);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    if (this.child.stdout) createInterface({ input: this.child.stdout }).on('line', (line) => this.lineListeners.forEach((listener) => listener(line)));
    const ended = (reason: string): void => {
      this.exit = reason;
      this.lineListeners.forEach((listener) => listener(''));
    };
    this.child.on('exit', (code, signal) => ended(`exit code ${code ?? 'none'}, signal ${signal ?? 'none'}; last output:\n${this.output}`));
    this.child.on('error', (error) => ended(`could not start ${options.command}: ${error.message}`));
  }

  /** The next stdout line matching `pattern`; rejects when the process ends or after `limitMs`. */
  nextLine(pattern: RegExp, limitMs = 60_000): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => settle(() => reject(new Error(`${this.label}: no line matching ${pattern} within ${limitMs} ms:\n${this.output}`))), limitMs);
      const settle = (action: () => void): void => {
        clearTimeout(timer);
        this.lineListeners.delete(listener);
        action();
      };
      const listener = (line: string): void => {
        const match = pattern.exec(line);
        if (match) settle(() => resolve(match));
        else if (this.exit !== undefined) settle(() => reject(new Error(`${this.label} ended: ${this.exit}`)));
      };
      if (this.exit !== undefined) reject(new Error(`${this.label} ended: ${this.exit}`));
      else this.lineListeners.add(listener);
    });
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.label} did not start: ${this.exit ?? 'no pid'}`);
    return this.child.pid;
  }

  /** Why the process has ended, or undefined while it runs. */
  exited(): string | undefined {
    return this.exit;
  }

  /** The tail of its stdout and stderr, for error messages. */
  recentOutput(): string {
    return this.output;
  }

  memory(): TreeMemory {
    return treeMemory(this.pid);
  }

  async stop(): Promise<void> {
    if (this.child.pid === undefined) return;
    await endProcessTree(this.child.pid);
  }
}
