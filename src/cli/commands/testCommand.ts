// `lambda-workbench test`: every function's saved events as tests (NAME.expected.json), TAP on stdout, JUnit XML for CI.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { WorkbenchError } from '../../core/common/errors';
import { discoverEventTests, runEventTests, type EventTestOutcome } from '../../core/testing/eventTests';
import { usage } from '../argParser';
import type { CommandSpec } from '../commandSpec';
import { writeFully } from '../cliIo';
import { FUNCTION_SOURCE_FLAGS, loadFunctionSource, parameterOverrides, requireFunction } from '../functionSource';
import { withLocalEndpoint } from '../localEndpoint';
import { BACKEND_FLAG, INTERPRETER_FLAG, withService } from '../serviceSession';
import { waitForTerminationSignal } from '../signals';

const DEFAULT_CONCURRENCY = 4;

/** One TAP line for an outcome, with a YAML block of what went wrong (and the function's log) when it did not pass. */
function tapEntry(number: number, outcome: EventTestOutcome): string {
  const ok = outcome.status === 'passed' || outcome.status === 'updated';
  const directive = outcome.status === 'updated' ? ' # snapshot written' : '';
  const lines = [`${ok ? 'ok' : 'not ok'} ${number} - ${outcome.test.id} (${Math.round(outcome.durationMs)} ms)${directive}`];
  if (outcome.status !== 'passed') {
    const block = (label: string, text: string) => [`    ${label}: |-`, ...text.split('\n').map((line) => `      ${line}`)];
    lines.push('  ---', ...block('message', outcome.problems.join('\n\n') || outcome.status));
    if (outcome.status !== 'updated' && outcome.logs.length > 0) lines.push(...block('log', outcome.logs.join('\n')));
    lines.push(`    event: ${JSON.stringify(outcome.test.eventFile)}`, '  ...');
  }
  return `${lines.join('\n')}\n`;
}

function parseConcurrency(text: string | undefined): number {
  if (text === undefined) return DEFAULT_CONCURRENCY;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw usage('test', `--concurrency must be a whole number of at least 1, not '${text}'.`);
  return value;
}

export const testCommand: CommandSpec = {
  name: 'test',
  summary: "Invoke every function with each of its saved events and check the results against NAME.expected.json.",
  positionals: [{ name: 'Function', description: 'Only these functions (logical ids or FunctionNames); default: all.', required: false, variadic: true }],
  flags: [
    { name: 'update-snapshots', kind: 'boolean', description: 'Write NAME.expected.json from this run where it is missing or not met (each file is named).' },
    { name: 'junit', kind: 'string', valueName: 'file', description: 'Also write a JUnit XML report to this file.' },
    { name: 'concurrency', kind: 'string', valueName: 'n', description: `Invocations at once (default: ${DEFAULT_CONCURRENCY}).` },
    BACKEND_FLAG,
    INTERPRETER_FLAG,
    ...FUNCTION_SOURCE_FLAGS,
  ],
  details: [
    'Saved events are the *.json files in events/ beside the template, events/<LogicalId>/ and <CodeUri>/events/.',
    'NAME.expected.json beside NAME.json holds one of:',
    '  "response": {...}          the response must equal this',
    '  "responseContains": {...}  the response must contain these keys and values',
    '  "error": {"errorType": "...", "errorMessage": "..."}  the invocation must fail so',
    'and optionally "logs": ["substring", "/regex/"] and "maxDurationMs": 3000.',
    'An event without an expectation passes when its invocation succeeds.',
    'Output is TAP on stdout; logs of failing tests are in their YAML blocks; the summary line ends the output.',
    'Exit status: 0 every test passed, 1 a test failed or could not run, 2 bad usage or template.',
    '',
    'Examples:',
    '  lambda-workbench test',
    '  lambda-workbench test HelloFunction --junit test-results/lambda.xml',
    '  lambda-workbench test --update-snapshots',
  ].join('\n'),

  async run(args, io) {
    const concurrency = parseConcurrency(args.strings.get('concurrency'));
    const source = await loadFunctionSource('test', args);
    const functions = args.positionals.length > 0 ? args.positionals.map((name) => requireFunction(source, name)) : source.registry.list();
    const tests = await discoverEventTests(functions);
    if (tests.length === 0) {
      throw new WorkbenchError('EVENT_INVALID', `No saved events to test for ${functions.map((spec) => spec.logicalId).join(', ') || 'this template'}.`, {
        hint: 'Save events as events/NAME.json beside the template (or use "New Event" in the Lambda view).',
      });
    }
    const signal = waitForTerminationSignal();
    let interrupted: NodeJS.Signals | undefined;
    void signal.received.then((received) => (interrupted = received));
    let number = 0;
    try {
      await writeFully(io.stdout, `TAP version 13\n1..${tests.length}\n`);
      const outcomes = await withService(
        source,
        args,
        io.stderr,
        (service) =>
          withLocalEndpoint(service, source, parameterOverrides('test', args.lists.get('parameter-overrides')) ?? {}, (warning) => void io.stderr.write(`Warning: ${warning}\n`), () =>
            Promise.race([
              runEventTests(service, tests, {
                concurrency,
                updateSnapshots: args.booleans.has('update-snapshots'),
                onOutcome: (outcome) => void io.stdout.write(tapEntry(++number, outcome)),
                cancelled: () => interrupted !== undefined,
              }),
              signal.received.then((received) => {
                throw new WorkbenchError('CANCELLED', `Interrupted by ${received}; the functions' instances were stopped.`);
              }),
            ])),
        // Each test's log goes into its TAP entry, not to the terminal.
        { write: () => undefined },
      );
      const count = (status: EventTestOutcome['status']) => outcomes.filter((outcome) => outcome.status === status).length;
      const junitFile = args.strings.get('junit');
      if (junitFile !== undefined) {
        const file = resolve(junitFile);
        await mkdir(dirname(file), { recursive: true });
        // Loaded only for a report: junit-report-builder (with lodash) is a large part of the CLI's startup.
        const { junitReport } = await import('../../core/testing/junitReport.js');
        await writeFile(file, junitReport(outcomes));
      }
      const summary = `${count('passed')} passed, ${count('failed')} failed, ${count('updated')} updated, ${count('error')} errors`;
      await writeFully(io.stdout, `# ${summary}${junitFile ? ` (JUnit XML: ${junitFile})` : ''}\n`);
      return count('failed') + count('error') > 0 ? 1 : 0;
    } finally {
      signal.dispose();
    }
  },
};
