// Log lines to a stream in one write per event-loop turn (corked until the turn's check phase), in order with every other write.
import type { Writable } from 'node:stream';

/**
 * The first line of a turn corks `stream`; setImmediate (after the turn's I/O callbacks) uncorks it, so the lines of
 * every invocation that started or ended in that turn (START, END, REPORT, the handler's lines) and anything else
 * written to the stream meanwhile leave together, in order, in one write. `flush()` uncorks at once; so does the
 * process's exit, so no line is lost to process.exit().
 */
export class BatchedWrites {
  private corked = false;
  private readonly flushNow = (): void => this.flush();

  constructor(private readonly stream: Writable) {}

  line(text: string): void {
    if (!this.corked) {
      this.corked = true;
      this.stream.cork();
      setImmediate(this.flushNow);
      process.once('exit', this.flushNow);
    }
    this.stream.write(`${text}\n`);
  }

  flush(): void {
    if (!this.corked) return;
    this.corked = false;
    process.removeListener('exit', this.flushNow);
    this.stream.uncork();
  }
}
