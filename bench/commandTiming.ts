// Runs short commands to completion (bench harness): availability checks and wall-clock timing of whole commands.
import { execFile } from 'node:child_process';
import { elapsedMs } from './stats';

/** Runs `command` and resolves with its wall time; rejects with its output when it fails or exceeds `limitMs`. */
export function timedCommand(command: string, args: string[], limitMs = 120_000): Promise<{ ms: number; stdout: string }> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: limitMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve({ ms: elapsedMs(start), stdout });
    });
  });
}

/** undefined when the command succeeds, else the reason it did not (first line of its error). */
export async function commandFails(command: string, args: string[], limitMs = 15_000): Promise<string | undefined> {
  try {
    await timedCommand(command, args, limitMs);
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}
