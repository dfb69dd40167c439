// Whether the runtime wrote to stdout or stderr since its last flush markers, so a quiet invocation can skip them; runs inside an instance.

/**
 * Watches writes through process.stdout and process.stderr (console.* and direct writes). Output that bypasses them
 * (fs.writeSync(1), a child process sharing the descriptors) is not seen: see QUIET_RESULTS_ENV.
 */
export class OutputWatch {
  /** True until the first markers: output of init may still be in the pipes. */
  private written = true;

  constructor(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]) {
    for (const stream of streams) {
      const write = stream.write as (...args: unknown[]) => boolean;
      const onWrite = (): void => {
        this.written = true;
      };
      stream.write = function watchedWrite(this: NodeJS.WriteStream, ...args: unknown[]): boolean {
        onWrite();
        return write.apply(this, args);
      } as typeof stream.write;
    }
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
