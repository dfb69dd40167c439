// Log lines to a stream in as few writes as keep their order and timing (corked until flushed), in order with every other write.
import type { Writable } from 'node:stream';

/** The longest a held line (heldLine) waits for company: a live terminal shows it this late at most. */
export const HOLD_MS = 5;

/**
 * The first line corks `stream` until a flush; every other write to the stream meanwhile waits in order behind it.
 * Lines flush when the event-loop turn ends (setImmediate), together with every line the turn produced: the END and
 * REPORT lines of several invocations leave in one write. Whoever must come after the lines (an invocation's response
 * comes after its END and REPORT) awaits `written()`. A line given with `now` flushes in a microtask instead, after the
 * code that emitted it and before what awaits it. A held line (an invocation's START) waits for the next line that
 * flushes or for `written()`, HOLD_MS at most: the START of an invocation that ends within that time leaves with its
 * END and REPORT. `flush()` uncorks at once; so does the process's exit, so no line is lost to process.exit().
 */
export class BatchedWrites {
  private corked = false;
  private flushSoon = false;
  /** A flush is due at the end of this event-loop turn (setImmediate). */
  private turnEnding = false;
  /** One hold timer at a time, not cleared by a flush (it then flushes what came since, or nothing). */
  private holdTimer: NodeJS.Timeout | undefined;
  private waiting: { promise: Promise<void>; resolve: () => void } | undefined;
  private readonly flushNow = (): void => this.flush();
  private readonly endOfTurn = (): void => {
    this.turnEnding = false;
    this.flush();
  };
  private readonly holdOver = (): void => {
    this.holdTimer = undefined;
    this.flush();
  };

  constructor(private readonly stream: Writable) {}

  /** `now`: flush in a microtask instead of at the end of the turn. */
  line(text: string, now = false): void {
    this.write(text);
    this.flushAtTurnEnd();
    if (now && !this.flushSoon) {
      this.flushSoon = true;
      queueMicrotask(this.flushNow);
    }
  }

  /** A line that waits for the next line that flushes, or for written(), HOLD_MS at most. */
  heldLine(text: string): void {
    this.write(text);
    if (this.holdTimer === undefined) {
      this.holdTimer = setTimeout(this.holdOver, HOLD_MS);
      this.holdTimer.unref();
    }
  }

  /** Resolves once every line given so far is written (at the end of this turn at the latest); undefined when none is held. */
  written(): Promise<void> | undefined {
    if (!this.corked) return undefined;
    this.flushAtTurnEnd();
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

  private write(text: string): void {
    if (!this.corked) {
      this.corked = true;
      this.stream.cork();
      process.once('exit', this.flushNow);
    }
    this.stream.write(`${text}\n`);
  }

  private flushAtTurnEnd(): void {
    if (this.turnEnding) return;
    this.turnEnding = true;
    setImmediate(this.endOfTurn);
  }
}
