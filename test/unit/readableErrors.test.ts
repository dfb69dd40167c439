// Unit tests (plain node, the real Node runtime client): error records shown as type, message and one frame a line,
// and the top frame of the function's own code in an error response ("Go to Error").
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { readableLines } from '../../src/core/logs/readableErrors';
import { defaultFunctionSpec } from '../../src/core/template/functionSpec';
import { errorResponseFrames, topUserFrame } from '../../src/extension/logs/stackTraceMapper';
import { HANDLER_FIXTURES, runtimePerTest } from './nodeRuntimeHarness';

const codeDir = path.join(HANDLER_FIXTURES, 'async');
const spec = defaultFunctionSpec('fixture', 'Zip', { logicalId: 'Fixture', runtime: 'nodejs20.x', handler: 'index.throws', codeDir });

describe('readable error records', () => {
  const start = runtimePerTest();

  test("the Node runtime's Invoke Error record becomes type and message, then one frame a line", async () => {
    const rt = await start('async', 'index.throws');
    await rt.invoke({});
    const record = rt.stdout.split('\n').find((line) => line.includes('\tInvoke Error \t'));
    assert.ok(record, `an Invoke Error record in ${rt.stdout}`);
    const [first, ...frames] = readableLines(record);
    assert.match(first, /^\S+\t[\w-]+\tERROR\tInvoke Error \tError: handler failed$/);
    assert.ok(frames.length > 0);
    assert.ok(frames.every((line) => /^ {4}at /.test(line)), frames.join('\n'));
    assert.match(frames[0], new RegExp(`${path.join(codeDir, 'index.js').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:17:\\d+`));
  });

  test('multi-line records (a Python traceback joined with \\r) become one line each', () => {
    const record = '[ERROR] ValueError: bad\rTraceback (most recent call last):\r\u00a0\u00a0File "/var/task/app.py", line 3, in handler';
    assert.deepEqual(readableLines(record), ['[ERROR] ValueError: bad', 'Traceback (most recent call last):', '\u00a0\u00a0File "/var/task/app.py", line 3, in handler']);
  });

  test('other records, and error records whose JSON does not parse, stay as written', () => {
    assert.deepEqual(readableLines('2026-01-01T00:00:00.000Z\tid\tINFO\thello'), ['2026-01-01T00:00:00.000Z\tid\tINFO\thello']);
    const broken = '2026-01-01T00:00:00.000Z\tid\tERROR\tInvoke Error \t{"errorType":';
    assert.deepEqual(readableLines(broken), [broken]);
  });
});

describe('top user frame of an error response', () => {
  const start = runtimePerTest();

  test('is the throwing line of the handler in a Node.js error body', async () => {
    const rt = await start('async', 'index.throws');
    const outcome = await rt.invoke({});
    const frame = topUserFrame(errorResponseFrames(outcome.payload.toString('utf8')), spec, existsSync);
    assert.deepEqual(frame && { file: frame.file, line: frame.line }, { file: path.join(codeDir, 'index.js'), line: 17 });
  });

  test('is the innermost frame of the code directory in a Python traceback, skipping library frames', () => {
    const pySpec = { ...spec, runtime: 'python3.12', codeDir: '/work/app' };
    const files = new Set(['/work/app/app.py', '/work/app/helpers.py']);
    const body = JSON.stringify({
      errorMessage: 'bad',
      errorType: 'ValueError',
      stackTrace: [
        '  File "/work/app/app.py", line 5, in lambda_handler\n    helper()\n',
        '  File "/work/app/helpers.py", line 9, in helper\n    lib()\n',
        '  File "/usr/lib/python3/json/__init__.py", line 2, in lib\n    raise ValueError("bad")\n',
      ],
    });
    assert.deepEqual(topUserFrame(errorResponseFrames(body), pySpec, (file) => files.has(file) || file.startsWith('/usr/')), { file: '/work/app/helpers.py', line: 9 });
  });

  test('is undefined for a payload that is not an error body', () => {
    assert.equal(topUserFrame(errorResponseFrames('{"greeting":"hi"}'), spec, existsSync), undefined);
    assert.equal(topUserFrame(errorResponseFrames('not json'), spec, existsSync), undefined);
  });
});
