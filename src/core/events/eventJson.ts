// The one check that an event's text is JSON (every managed runtime parses the event as JSON), worded the same in every front end.
import { WorkbenchError } from '../common/errors';
import { jsonSyntaxProblem } from './jsonTree';

/** Where the event text came from: a file, or standard input. */
export type EventTextSource = { file: string } | 'stdin';

export interface EventJsonOptions {
  /** What the file holds, when it is not an event (e.g. "request document"). */
  kind?: string;
  /** The setting or launch attribute that names the file (e.g. `eventFile`), to say which one to change. */
  attribute?: string;
  /** What to do instead of fixing the JSON where it is. */
  hint?: string;
}

/**
 * Throws EVENT_INVALID "The event file is not valid JSON: <first problem>." at the problem's file, line and column when
 * `text` is not strict JSON (a trailing comma or a comment is refused, as JSON.parse in the runtime refuses it).
 */
export function assertEventJson(text: string, source: EventTextSource, options: EventJsonOptions = {}): void {
  const problem = jsonSyntaxProblem(text);
  if (!problem) return;
  const subject = source === 'stdin' ? 'The event' : `The ${options.kind ?? 'event file'}${options.attribute ? ` (\`${options.attribute}\`)` : ''}`;
  throw new WorkbenchError('EVENT_INVALID', `${subject} is not valid JSON: ${problem.message}.`, {
    location: { file: source === 'stdin' ? 'stdin' : source.file, line: problem.line, column: problem.column },
    hint: options.hint ?? 'Fix the JSON at that position.',
  });
}
