// Reads the event of `invoke`: a JSON file, stdin (`--event -`), or `{}` when none is given; invalid JSON is an EVENT_INVALID error.
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { WorkbenchError } from '../core/common/errors';

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
  const text = bytes.toString('utf8');
  try {
    JSON.parse(text);
  } catch (error) {
    throw new WorkbenchError('EVENT_INVALID', `The event is not valid JSON: ${(error as Error).message}.`, {
      location: { file: label, ...jsonErrorPosition(text, error as Error) },
    });
  }
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

/** Line and column of V8's "... at position N" JSON errors. */
function jsonErrorPosition(text: string, error: Error): { line?: number; column?: number } {
  const match = /position (\d+)/.exec(error.message);
  if (!match) return {};
  const before = text.slice(0, Number(match[1]));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}
