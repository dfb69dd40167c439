// Decodes S3's aws-chunked content encoding (the SDKs' streaming uploads: "<hex size>[;chunk-signature=...]\r\n<data>\r\n ... 0\r\n<trailers>\r\n\r\n").
import { Transform, type TransformCallback } from 'node:stream';

/** The longest chunk header line accepted (size, signature extension). */
const MAX_HEADER_LINE = 4096;

/** True when the request body is aws-chunked (Content-Encoding aws-chunked, or a STREAMING-* payload hash). */
export function isAwsChunked(headers: Record<string, string | string[] | undefined>): boolean {
  const encoding = String(headers['content-encoding'] ?? '');
  const payload = String(headers['x-amz-content-sha256'] ?? '');
  return encoding.split(',').some((part) => part.trim() === 'aws-chunked') || payload.startsWith('STREAMING-');
}

/** Content-Encoding without aws-chunked (undefined when nothing is left). */
export function remainingContentEncoding(value: string | undefined): string | undefined {
  const rest = (value ?? '').split(',').map((part) => part.trim()).filter((part) => part && part !== 'aws-chunked');
  return rest.length ? rest.join(', ') : undefined;
}

/** Emits the payload bytes of an aws-chunked body; the chunk signatures and trailing checksums are dropped. */
export class AwsChunkedDecoder extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  /** Payload bytes still due in the current chunk, then its CRLF. */
  private remaining = 0;
  private state: 'header' | 'data' | 'data-end' | 'trailers' | 'done' = 'header';

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    try {
      this.consume();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    callback(this.state === 'done' || this.state === 'trailers' ? undefined : new Error('The aws-chunked request body ended inside a chunk.'));
  }

  private consume(): void {
    for (;;) {
      if (this.state === 'header' || this.state === 'trailers') {
        const end = this.pending.indexOf('\r\n');
        if (end < 0) {
          if (this.pending.length > MAX_HEADER_LINE) throw new Error('An aws-chunked chunk header is too long.');
          return;
        }
        const line = this.pending.subarray(0, end).toString('latin1');
        this.pending = this.pending.subarray(end + 2);
        if (this.state === 'trailers') {
          // Trailing headers (x-amz-checksum-crc32:...) until an empty line.
          if (line === '') this.state = 'done';
          continue;
        }
        const size = Number.parseInt(line.split(';')[0].trim(), 16);
        if (!Number.isInteger(size) || size < 0) throw new Error(`'${line.slice(0, 80)}' is not an aws-chunked chunk header.`);
        this.remaining = size;
        this.state = size === 0 ? 'trailers' : 'data';
      } else if (this.state === 'data') {
        if (!this.pending.length) return;
        const take = Math.min(this.remaining, this.pending.length);
        this.push(this.pending.subarray(0, take));
        this.pending = this.pending.subarray(take);
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'data-end';
      } else if (this.state === 'data-end') {
        if (this.pending.length < 2) return;
        this.pending = this.pending.subarray(2);
        this.state = 'header';
      } else {
        this.pending = Buffer.alloc(0);
        return;
      }
    }
  }
}
