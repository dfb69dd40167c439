// Reads an HTTP request body up to a byte limit; an oversized body is drained (so the client sees the answer) but not kept.
import type { Readable } from 'node:stream';

export interface BodyResult {
  /** The body, or undefined when it was larger than the limit. */
  body: Buffer | undefined;
  size: number;
}

export function readBody(req: Readable, limitBytes: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => {
      if (size > limitBytes) resolve({ body: undefined, size });
      else resolve({ body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size), size });
    });
    req.on('error', reject);
  });
}
