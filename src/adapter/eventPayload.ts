// Reads the event of a debug invocation from the launch or invoke arguments (`event` value or `eventFile`) as bytes.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { WorkbenchError } from '../core/common/errors';
import { assertEventJson } from '../core/events/eventJson';

export interface EventSource {
  event?: unknown;
  eventFile?: string;
}

/** The payload bytes, or undefined when neither `event` nor `eventFile` is given. */
export async function readEventPayload(source: EventSource): Promise<Buffer | undefined> {
  if (source.event !== undefined && source.eventFile !== undefined) {
    throw new WorkbenchError('USAGE', '`event` and `eventFile` are both set.', { hint: 'Keep one of them.' });
  }
  if (source.event !== undefined) return Buffer.from(JSON.stringify(source.event));
  if (source.eventFile === undefined) return undefined;
  const file = path.resolve(source.eventFile);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new WorkbenchError('EVENT_INVALID', `The event file ${file} cannot be read.`, {
      hint: 'Check `eventFile`: it must name an existing JSON file.',
      cause: error,
    });
  }
  assertEventJson(text, { file }, { attribute: 'eventFile', hint: 'Fix the JSON in the event file, or set `eventFile` to another one.' });
  return Buffer.from(text);
}
