// Splits a byte stream into lines as chunks arrive, so logs stream line by line instead of being buffered.

export class LineSplitter {
  private partial = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this.onLine(text.slice(start, nl));
      start = nl + 1;
    }
    this.partial = text.slice(start);
  }

  /** Emits what is left without a newline (at the end of the stream). */
  flush(): void {
    if (this.partial) {
      const rest = this.partial;
      this.partial = '';
      this.onLine(rest);
    }
  }
}
