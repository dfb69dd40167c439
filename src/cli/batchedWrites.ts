// Log lines to a stream in as few writes as keep their order and timing (corked until flushed), in order with every other write.
import type { Writable } from 'node:stream';

/**
 * The first line corks `stream` until a flush; every other write to the stream meanwhile waits in order behind it.
 * Lines flush when the event-loop turn ends (setImmediate), together with every line the turn produced: the START,
 * END and REPORT lines of several invocations leave in one write. Whoever must come after the lines (an invocation's
 * response comes after its END and REPORT) awaits `written()`. A line given with `now` flushes in a microtask instead,
 * after the code that emitted it and before what awaits it. `flush()` uncorks at once; so does the process's exit,
 * so no line is lost to process.exit().
 */
export class BatchedWrites {
  private corked = false;
  private flushSoon = false;
  private waiting: { promise: Promise<void>; resolve: () => void } | undefined;
  private readonly flushNow = (): void => this.flush();

  constructor(private readonly stream: Writable) {}

  /** `now`: flush in a microtask instead of at the end of the turn. */
  line(text: string, now = false): void {
    if (!this.corked) {
      this.corked = true;
      this.stream.cork();
      setImmediate(this.flushNow);
      process.once('exit', this.flushNow);
    }
    this.stream.write(`${text}\n`);
    if (now && !this.flushSoon) {
      this.flushSoon = true;
      queueMicrotask(this.flushNow);
    }
  }

  /** Resolves once every line given so far is written; undefined when none is waiting. */
  written(): Promise<void> | undefined {
    if (!this.corked) return undefined;
    if (this.waiting === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      this.waiting = { promise, resolve };
    }
    return this.waiting.promise;
  }

  flush(): void {
    this.flushSoon = false;
    if (!this.corked) return;
    this.corked = false;
    process.removeListener('exit', this.flushNow);
    this.stream.uncork();
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve();
  }
}
