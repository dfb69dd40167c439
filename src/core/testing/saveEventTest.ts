// "Save as Test": an invocation's event and result written as a saved event and its NAME.expected.json, where `test` reads them.
import { isDeepStrictEqual } from 'node:util';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { eventNameProblem, expectationFileOf, listSavedEvents, newEventFile, newEventFolder, type SavedEvent } from '../events/savedEvents';
import type { FunctionSpec } from '../template/functionSpec';
import { expectationFrom, type TestInvocation } from './eventTests';

/**
 * Where a new test of `spec` goes: the template's events/ when the function is the only one of its template (as the
 * blueprints lay it out), else events/<LogicalId>/, so the event is not run as a test of the template's other functions.
 */
export function testEventFolder(spec: FunctionSpec, soleFunctionOfTemplate: boolean): string {
  const shared = newEventFolder(spec, undefined);
  return soleFunctionOfTemplate ? shared : path.join(shared, spec.logicalId);
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The function's saved event holding the same JSON as `event`, if any: its expectation is written beside it. */
export async function savedEventLike(spec: FunctionSpec, event: Buffer): Promise<SavedEvent | undefined> {
  const wanted = parsed(event.toString('utf8'));
  if (wanted === undefined) return undefined;
  for (const saved of await listSavedEvents(spec)) {
    const text = await readFile(saved.file, 'utf8').catch(() => undefined);
    if (text !== undefined && isDeepStrictEqual(parsed(text), wanted)) return saved;
  }
  return undefined;
}

/** Why `name` cannot name a new test among the function's saved events (`same`: the event being saved, which may keep its name). */
export function testNameProblem(name: string, saved: readonly SavedEvent[], same?: SavedEvent): string | undefined {
  const problem = eventNameProblem(name);
  if (problem) return problem;
  if (/\.expected$/i.test(name)) return 'NAME.expected.json is the expectation file; choose a name that does not end in .expected.';
  const taken = saved.find((event) => event.name === name && event.file !== same?.file);
  return taken ? `${name} is already a saved event of this function (${taken.file}); choose another name.` : undefined;
}

export interface SavedTest {
  eventFile: string;
  expectationFile: string;
}

/**
 * Writes the expectation of `invocation` (its response, or its error) beside the saved event `existing`, or a new
 * event file NAME.json (never replacing one) with the expectation in `folder`. An invocation of a version or alias
 * (`qualifier`, not $LATEST) records it, so that the test invokes what gave the response.
 */
export async function saveEventTest(options: {
  folder: string;
  name: string;
  event: Buffer;
  invocation: Pick<TestInvocation, 'response' | 'failed'>;
  qualifier?: string;
  existing?: SavedEvent;
  /** A new event file must be inside it (see newEventFile). */
  projectRoot: string;
}): Promise<SavedTest> {
  let eventFile = options.existing?.file;
  if (!eventFile) {
    eventFile = newEventFile(options.folder, options.name, options.projectRoot);
    const event = parsed(options.event.toString('utf8'));
    await mkdir(options.folder, { recursive: true });
    await writeFile(eventFile, event === undefined ? options.event : `${JSON.stringify(event, null, 2)}\n`, { flag: 'wx' });
  }
  const expectationFile = expectationFileOf(eventFile);
  const qualifier = options.qualifier === '$LATEST' ? undefined : options.qualifier;
  await writeFile(expectationFile, `${JSON.stringify(expectationFrom(options.invocation, qualifier !== undefined ? { qualifier } : undefined), null, 2)}\n`);
  return { eventFile, expectationFile };
}
