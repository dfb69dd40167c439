// Log lines to a stream in as few writes as keep their order and timing (corked until flushed), in order with every other write.
import type { Writable } from 'node:stream';

/**
 * The first line corks `stream` until a flush; every other write to the stream meanwhile waits in order behind it.
 * A platform line (START, END, REPORT...) flushes in a microtask, after the code that emitted it and before what
 * awaits it: END and REPORT leave in one write, ahead of the invocation's response. Other lines (the handler's)
 * flush when the event-loop turn ends (setImmediate), together with every line the turn produced. `flush()`
 * uncorks at once; so does the process's exit, so no line is lost to process.exit().
 */
export class BatchedWrites {
  private corked = false;
  private flushSoon = false;
  private readonly flushNow = (): void => this.flush();

  constructor(private readonly stream: Writable) {}

  /** `platform`: flush in a microtask instead of at the end of the turn. */
  line(text: string, platform = false): void {
    if (!this.corked) {
      this.corked = true;
      this.stream.cork();
      setImmediate(this.flushNow);
      process.once('exit', this.flushNow);
    }
    this.stream.write(`${text}\n`);
    if (platform && !this.flushSoon) {
      this.flushSoon = true;
      queueMicrotask(this.flushNow);
    }
  }

  flush(): void {
    this.flushSoon = false;
    if (!this.corked) return;
    this.corked = false;
    process.removeListener('exit', this.flushNow);
    this.stream.uncork();
  }
}
