// The streams a CLI command talks to: the payload goes to stdout, logs and messages to stderr, events may come from stdin.
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
}

/** Writes and resolves once the bytes are handed to the OS, so exiting afterwards loses nothing. */
export function writeFully(stream: Writable, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(data, (error) => (error ? reject(error) : resolve()));
  });
}
