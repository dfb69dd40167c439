// Keeps the last 4 KB of one invocation's log, for X-Amz-Log-Type: Tail.

const LOG_TAIL_BYTES = 4096;

export class LogTail {
  private lines: string[] = [];
  private bytes = 0;

  push(line: string): void {
    const text = `${line}\n`;
    this.lines.push(text);
    this.bytes += Buffer.byteLength(text);
    while (this.bytes > LOG_TAIL_BYTES * 2 && this.lines.length > 1) {
      this.bytes -= Buffer.byteLength(this.lines.shift() as string);
    }
  }

  /** Base64 of the last 4 KB, cut on a byte boundary as Lambda does (the first line may be partial). */
  toBase64(): string {
    const all = Buffer.from(this.lines.join(''));
    return all.subarray(Math.max(0, all.length - LOG_TAIL_BYTES)).toString('base64');
  }
}
