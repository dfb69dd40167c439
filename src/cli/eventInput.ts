// Reads the event of `invoke`: a JSON file, stdin (`--event -`), or `{}` when none is given; invalid JSON is an EVENT_INVALID error.
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { WorkbenchError } from '../core/common/errors';
import { assertEventJson } from '../core/events/eventJson';

const NO_EVENT = Buffer.from('{}');

export async function readEvent(source: string | undefined, stdin: Readable): Promise<Buffer> {
  if (source === undefined) return NO_EVENT;
  const label = source === '-' ? 'stdin' : source;
  let bytes: Buffer;
  try {
    bytes = source === '-' ? await readAll(stdin) : await readFile(source);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new WorkbenchError('EVENT_INVALID', `Cannot read the event file: ${reason}.`, {
      location: { file: label },
      hint: 'Pass a JSON file with --event <file>, or --event - to read stdin.',
    });
  }
  assertEventJson(bytes.toString('utf8'), source === '-' ? 'stdin' : { file: source });
  return bytes;
}

function readAll(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
