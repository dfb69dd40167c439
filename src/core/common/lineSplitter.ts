// Splits a byte stream into lines as chunks arrive, so logs stream line by line instead of being buffered.
import { StringDecoder } from 'node:string_decoder';

export interface LineSplitterOptions {
  /**
   * The longest line kept, in characters: a longer one is emitted cut at this length as soon as it reaches it, and the
   * rest of it (up to its newline) is dropped, so a stream without newlines never holds more than this in memory.
   */
  maxLineLength?: number;
}

export class LineSplitter {
  private partial = '';
  /** The current line reached maxLineLength and was emitted: what follows up to its newline is dropped. */
  private dropping = false;
  /** Keeps a character split between two chunks whole. */
  private readonly decoder = new StringDecoder('utf8');
  private readonly maxLineLength: number;

  constructor(private readonly onLine: (line: string) => void, options: LineSplitterOptions = {}) {
    this.maxLineLength = options.maxLineLength ?? Number.POSITIVE_INFINITY;
  }

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      const end = newline === -1 ? text.length : newline;
      if (!this.dropping) {
        const room = this.maxLineLength - this.partial.length;
        this.partial += text.slice(start, Math.min(end, start + room));
        if (end - start >= room && (newline === -1 || end - start > room)) {
          this.dropping = true;
          this.emit();
        }
      }
      if (newline === -1) return;
      if (this.dropping) this.dropping = false;
      else this.emit();
      start = newline + 1;
    }
  }

  /** Emits what is left without a newline (at the end of the stream). */
  flush(): void {
    this.partial += this.decoder.end();
    if (this.partial && !this.dropping) this.emit();
    this.partial = '';
    this.dropping = false;
  }

  private emit(): void {
    const line = this.partial;
    this.partial = '';
    this.onLine(line);
  }
}
