// Whether the runtime wrote to stdout or stderr since its last flush markers, so a quiet invocation can skip them; runs inside an instance.
import { onStdioMade } from './stdio';

/**
 * Watches writes through process.stdout and process.stderr (console.* and direct writes), from the moment each exists
 * (stdio.ts). Output that bypasses them (fs.writeSync(1), a child process sharing the descriptors) is not seen: see
 * QUIET_RESULTS_ENV.
 */
export class OutputWatch {
  /** True until the first markers: output of init may still be in the pipes. */
  private written = true;

  constructor() {
    const onWrite = (): void => {
      this.written = true;
    };
    onStdioMade((stream) => {
      const write = stream.write as (...args: unknown[]) => boolean;
      stream.write = function watchedWrite(this: NodeJS.WriteStream, ...args: unknown[]): boolean {
        onWrite();
        return write.apply(this, args);
      } as typeof stream.write;
    });
  }

  /** Nothing was written since the last markers. */
  get quiet(): boolean {
    return !this.written;
  }

  /** The markers were just written: later writes make the runtime noisy again. */
  markersWritten(): void {
    this.written = false;
  }
}
