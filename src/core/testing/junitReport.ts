// Writes event-test outcomes as a JUnit XML report (the format CI systems annotate), one suite per function.
import junit from 'junit-report-builder';
import type { EventTestOutcome } from './eventTests';

/** The report's XML: a <testsuite> per function, a <testcase> per saved event, failures with their diffs and logs. */
export function junitReport(outcomes: readonly EventTestOutcome[], name = 'lambda-workbench test'): string {
  const report = junit.newBuilder().name(name);
  const suites = new Map<string, ReturnType<typeof report.testSuite>>();
  for (const outcome of outcomes) {
    const functionId = outcome.test.spec.logicalId;
    let suite = suites.get(functionId);
    if (!suite) {
      suite = report.testSuite().name(functionId);
      suites.set(functionId, suite);
    }
    const testCase = suite
      .testCase()
      .className(functionId)
      .name(outcome.test.eventName)
      .file(outcome.test.eventFile)
      .time(Math.round(outcome.durationMs) / 1000);
    if (outcome.logs.length > 0) testCase.standardOutput(outcome.logs.join('\n'));
    const details = outcome.problems.join('\n\n');
    if (outcome.status === 'failed') testCase.failure(outcome.problems[0]?.split('\n')[0], 'ExpectationFailed').stacktrace(details);
    if (outcome.status === 'error') testCase.error(outcome.problems[0]?.split('\n')[0], 'TestError', details);
  }
  return report.build();
}
