// Saved events as tests: each function's saved events, invoked and checked against their NAME.expected.json, or recorded as snapshots.
import { readFile, writeFile } from 'node:fs/promises';
import { errorMessage } from '../common/errors';
import { expectationFileOf, listSavedEvents } from '../events/savedEvents';
import type { LambdaService } from '../service/lambdaService';
import type { FunctionSpec } from '../template/functionSpec';
import { compareJson } from './compareJson';
import { logMatcher, readExpectation, type Expectation } from './expectation';

export interface EventTest {
  /** "<LogicalId>/<event name>": unique in a template, stable across runs. */
  id: string;
  spec: FunctionSpec;
  eventName: string;
  eventFile: string;
  expectationFile: string;
}

/** passed / failed: checked against the expectation; updated: a snapshot was written; error: the test could not run. */
export type EventTestStatus = 'passed' | 'failed' | 'updated' | 'error';

export interface EventTestOutcome {
  test: EventTest;
  status: EventTestStatus;
  /** One entry per unmet expectation (or the error that stopped the test), readable on their own. */
  problems: string[];
  durationMs: number;
  requestId?: string;
  /** The response payload as returned (text). */
  response?: string;
  /** The invocation's CloudWatch lines. */
  logs: string[];
  /** For failed response checks: what was expected and what came, for side-by-side diffs. */
  expected?: unknown;
  actual?: unknown;
}

/** Every saved event of each function, in function then event order. */
export async function discoverEventTests(functions: readonly FunctionSpec[]): Promise<EventTest[]> {
  const perFunction = await Promise.all(
    functions.map(async (spec) =>
      (await listSavedEvents(spec)).map((event) => ({
        id: `${spec.logicalId}/${event.name}`,
        spec,
        eventName: event.name,
        eventFile: event.file,
        expectationFile: expectationFileOf(event.file),
      })),
    ),
  );
  return perFunction.flat();
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

interface Invocation {
  failed: boolean;
  /** The parsed response, or the error object { errorType, errorMessage, ... } when the function failed. */
  value: unknown;
}

/** What the invocation did wrong against the expectation; empty when it met every part. */
function check(expectation: Expectation | undefined, invocation: Invocation, logs: string[], durationMs: number, outcome: EventTestOutcome): string[] {
  const problems: string[] = [];
  const error = invocation.value as { errorType?: string; errorMessage?: string } | undefined;
  if (expectation?.error) {
    if (!invocation.failed) problems.push(`Expected the invocation to fail with ${JSON.stringify(expectation.error)}, but it succeeded.`);
    else {
      const diff = compareJson(expectation.error, { errorType: error?.errorType, errorMessage: error?.errorMessage }, 'contains');
      if (diff) problems.push(`The error differs from the expectation.\n${diff}`);
    }
  } else if (invocation.failed) {
    problems.push(`The invocation failed: ${error?.errorType ?? 'Error'}: ${error?.errorMessage ?? JSON.stringify(invocation.value)}`);
  } else if (expectation?.response !== undefined || expectation?.responseContains !== undefined) {
    const contains = expectation.response === undefined;
    const expected = contains ? expectation.responseContains : expectation.response;
    const diff = compareJson(expected, invocation.value, contains ? 'contains' : 'equal');
    if (diff) {
      problems.push(`The response ${contains ? 'does not contain' : 'differs from'} the expected one.\n${diff}`);
      outcome.expected = expected;
      outcome.actual = invocation.value;
    }
  }
  for (const pattern of expectation?.logs ?? []) {
    if (!logs.some(logMatcher(pattern))) problems.push(`No log line matches ${JSON.stringify(pattern)}.`);
  }
  if (expectation?.maxDurationMs !== undefined && durationMs > expectation.maxDurationMs) {
    problems.push(`The invocation took ${durationMs} ms, more than maxDurationMs ${expectation.maxDurationMs}.`);
  }
  return problems;
}

/** The snapshot of an invocation: its response or its error, keeping the logs and duration checks already written. */
function snapshotOf(invocation: Invocation, previous: Expectation | undefined): Expectation {
  const error = invocation.value as { errorType?: string; errorMessage?: string };
  const snapshot: Expectation = invocation.failed
    ? { error: { ...(error.errorType ? { errorType: error.errorType } : {}), ...(error.errorMessage !== undefined ? { errorMessage: error.errorMessage } : {}) } }
    : { response: invocation.value };
  if (previous?.logs) snapshot.logs = previous.logs;
  if (previous?.maxDurationMs !== undefined) snapshot.maxDurationMs = previous.maxDurationMs;
  return snapshot;
}

/**
 * Invokes the test's function with its event and checks the result. With `updateSnapshot`, a missing or unmet
 * expectation is rewritten from this invocation (status 'updated', the reason in `problems`); a met one is left alone.
 */
export async function runEventTest(service: LambdaService, test: EventTest, options: { updateSnapshot?: boolean } = {}): Promise<EventTestOutcome> {
  const outcome: EventTestOutcome = { test, status: 'error', problems: [], durationMs: 0, logs: [] };
  let expectation: Expectation | undefined;
  let payload: Buffer;
  try {
    [expectation, payload] = await Promise.all([readExpectation(test.expectationFile), readFile(test.eventFile)]);
  } catch (error) {
    outcome.problems.push(errorMessage(error));
    return outcome;
  }
  const started = Date.now();
  try {
    const result = await service.invoke({ functionName: test.spec.functionName, payload, onLog: (record) => void outcome.logs.push(record.text) });
    outcome.durationMs = result.durationMs ?? Date.now() - started;
    outcome.requestId = result.requestId;
    outcome.response = result.payload.toString('utf8');
    const invocation: Invocation = { failed: result.functionError !== undefined, value: parseJsonOr(outcome.response) };
    const problems = check(expectation, invocation, outcome.logs, outcome.durationMs, outcome);
    if (options.updateSnapshot && (expectation === undefined || problems.length > 0)) {
      await writeFile(test.expectationFile, `${JSON.stringify(snapshotOf(invocation, expectation), null, 2)}\n`);
      outcome.status = 'updated';
      outcome.problems = [expectation === undefined ? `Wrote ${test.expectationFile}.` : `Rewrote ${test.expectationFile}: ${problems.join('\n')}`];
      return outcome;
    }
    outcome.problems = problems;
    outcome.status = problems.length === 0 ? 'passed' : 'failed';
  } catch (error) {
    outcome.durationMs = Date.now() - started;
    outcome.problems.push(errorMessage(error));
  }
  return outcome;
}

/** Runs the tests with at most `concurrency` invocations at once; outcomes come back in the tests' order. */
export async function runEventTests(
  service: LambdaService,
  tests: readonly EventTest[],
  options: { concurrency: number; updateSnapshots?: boolean; onOutcome?: (outcome: EventTestOutcome) => void; cancelled?: () => boolean },
): Promise<EventTestOutcome[]> {
  const outcomes: EventTestOutcome[] = new Array(tests.length);
  let next = 0;
  const worker = async () => {
    while (next < tests.length && !options.cancelled?.()) {
      const index = next++;
      outcomes[index] = await runEventTest(service, tests[index], { updateSnapshot: options.updateSnapshots ?? false });
      options.onOutcome?.(outcomes[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, tests.length)) }, worker));
  return outcomes.filter((outcome) => outcome !== undefined);
}
