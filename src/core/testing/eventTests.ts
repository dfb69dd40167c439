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
      const actual = { errorType: error?.errorType, errorMessage: error?.errorMessage };
      const diff = compareJson(expectation.error, actual, 'contains');
      if (diff) {
        problems.push(`The error differs from the expectation.\n${diff}`);
        outcome.expected = expectation.error;
        outcome.actual = actual;
      }
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

/** The snapshot of an invocation: its response or its error, keeping the qualifier, logs and duration checks already written. */
function snapshotOf(invocation: Invocation, previous: Expectation | undefined): Expectation {
  const error = invocation.value as { errorType?: string; errorMessage?: string };
  const snapshot: Expectation = previous?.qualifier !== undefined ? { qualifier: previous.qualifier } : {};
  if (invocation.failed) {
    snapshot.error = { ...(error.errorType ? { errorType: error.errorType } : {}), ...(error.errorMessage !== undefined ? { errorMessage: error.errorMessage } : {}) };
  } else {
    snapshot.response = invocation.value;
  }
  if (previous?.logs) snapshot.logs = previous.logs;
  if (previous?.maxDurationMs !== undefined) snapshot.maxDurationMs = previous.maxDurationMs;
  return snapshot;
}

/** What one invocation of a test's event gave: from the service, or as a debug session reported it. */
export interface TestInvocation {
  requestId?: string;
  /** The response payload (or the error object) as text. */
  response: string;
  /** The function returned an error (X-Amz-Function-Error). */
  failed: boolean;
  durationMs: number;
  /** The invocation's CloudWatch lines. */
  logs: string[];
}

/** Checks an invocation of the test's event against its expectation (read before the invocation: readExpectation). */
export function judgeInvocation(test: EventTest, expectation: Expectation | undefined, invocation: TestInvocation): EventTestOutcome {
  const outcome: EventTestOutcome = {
    test,
    status: 'error',
    problems: [],
    durationMs: invocation.durationMs,
    response: invocation.response,
    logs: invocation.logs,
    ...(invocation.requestId !== undefined ? { requestId: invocation.requestId } : {}),
  };
  const parsed: Invocation = { failed: invocation.failed, value: parseJsonOr(invocation.response) };
  outcome.problems = check(expectation, parsed, invocation.logs, invocation.durationMs, outcome);
  outcome.status = outcome.problems.length === 0 ? 'passed' : 'failed';
  return outcome;
}

/**
 * The expectation file's content to record for an invocation: its response or its error (a snapshot, or "Save as Test"),
 * with `previous`'s qualifier, logs and maxDurationMs.
 */
export function expectationFrom(invocation: Pick<TestInvocation, 'response' | 'failed'>, previous?: Expectation): Expectation {
  return snapshotOf({ failed: invocation.failed, value: parseJsonOr(invocation.response) }, previous);
}

/**
 * Invokes the test's function (the expectation's qualifier: that version or alias) with its event and checks the result. With `updateSnapshot`, a missing or unmet
 * expectation is rewritten from this invocation (status 'updated', the reason in `problems`); a met one is left alone.
 */
export async function runEventTest(service: LambdaService, test: EventTest, options: { updateSnapshot?: boolean } = {}): Promise<EventTestOutcome> {
  let expectation: Expectation | undefined;
  let payload: Buffer;
  try {
    [expectation, payload] = await Promise.all([readExpectation(test.expectationFile), readFile(test.eventFile)]);
  } catch (error) {
    return { test, status: 'error', problems: [errorMessage(error)], durationMs: 0, logs: [] };
  }
  const started = Date.now();
  const logs: string[] = [];
  try {
    const result = await service.invoke({
      functionName: test.spec.functionName,
      ...(expectation?.qualifier !== undefined ? { qualifier: expectation.qualifier } : {}),
      payload,
      onLog: (record) => void logs.push(record.text),
    });
    const invocation: TestInvocation = {
      requestId: result.requestId,
      response: result.payload.toString('utf8'),
      failed: result.functionError !== undefined,
      durationMs: result.durationMs ?? Date.now() - started,
      logs,
    };
    const outcome = judgeInvocation(test, expectation, invocation);
    if (options.updateSnapshot && (expectation === undefined || outcome.problems.length > 0)) {
      await writeFile(test.expectationFile, `${JSON.stringify(expectationFrom(invocation, expectation), null, 2)}\n`);
      return {
        ...outcome,
        status: 'updated',
        problems: [expectation === undefined ? `Wrote ${test.expectationFile}.` : `Rewrote ${test.expectationFile}: ${outcome.problems.join('\n')}`],
      };
    }
    return outcome;
  } catch (error) {
    return { test, status: 'error', problems: [errorMessage(error)], durationMs: Date.now() - started, logs };
  }
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
