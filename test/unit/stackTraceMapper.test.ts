// Unit tests (plain node): stack-frame locations in log lines and their mapping to workspace files.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { defaultFunctionSpec } from '../../src/core/template/functionSpec';
import { findStackLocations, functionNameOfLine, mapToWorkspace } from '../../src/extension/logs/stackTraceMapper';

const codeDir = '/work/project/hello';
const spec = defaultFunctionSpec('Hello', 'Zip', { runtime: 'nodejs20.x', handler: 'app.handler', codeDir });

describe('findStackLocations', () => {
  test('finds Node frames inside the JSON of an Invoke Error line, with offsets', () => {
    const line =
      '2026-01-01T00:00:00.000Z\tid\tERROR\tInvoke Error \t{"stack":["Error: boom","    at Runtime.handler (/var/task/app.js:3:11)","    at x (file:///var/task/lib/util.mjs:10:2)"]}';
    const found = findStackLocations(line);
    assert.deepEqual(
      found.map((f) => [f.printedPath, f.line, f.column]),
      [
        ['/var/task/app.js', 3, 11],
        ['file:///var/task/lib/util.mjs', 10, 2],
      ],
    );
    assert.equal(line.slice(found[0].start, found[0].end), '/var/task/app.js:3:11');
  });

  test('finds Python frames, quoted plainly or escaped in JSON', () => {
    assert.deepEqual(
      findStackLocations('  File "/var/task/app.py", line 7, in handler').map((f) => [f.printedPath, f.line]),
      [['/var/task/app.py', 7]],
    );
    assert.deepEqual(
      findStackLocations('{"stackTrace": ["  File \\"/var/task/app.py\\", line 9, in h\\n"]}').map((f) => [f.printedPath, f.line]),
      [['/var/task/app.py', 9]],
    );
  });

  test('ignores lines without locations', () => {
    assert.deepEqual(findStackLocations('START RequestId: 1 Version: $LATEST'), []);
  });
});

describe('mapToWorkspace', () => {
  const files = new Set([path.join(codeDir, 'app.js'), path.join(codeDir, 'src', 'index.ts'), '/home/me/other.js']);
  const exists = (file: string) => files.has(file);

  test('maps the container task root to the code directory', () => {
    assert.equal(mapToWorkspace('/var/task/app.js', spec, exists), path.join(codeDir, 'app.js'));
    assert.equal(mapToWorkspace('file:///var/task/app.js', spec, exists), path.join(codeDir, 'app.js'));
  });

  test('falls back from a built .js to its TypeScript source', () => {
    assert.equal(mapToWorkspace('/var/task/src/index.js', spec, exists), path.join(codeDir, 'src', 'index.ts'));
  });

  test('keeps existing host paths and drops unknown ones', () => {
    assert.equal(mapToWorkspace('/home/me/other.js', undefined, exists), '/home/me/other.js');
    assert.equal(mapToWorkspace('/var/runtime/index.mjs', spec, exists), undefined);
    assert.equal(mapToWorkspace('/var/task/app.js', undefined, exists), undefined);
  });
});

test('functionNameOfLine reads the prefix after the channel timestamp and level', () => {
  assert.equal(functionNameOfLine('2026-11-25 17:49:33.267 [error] [HelloJsFunction] 2026-11-25T17:49:33Z\tid\tERROR\tboom'), 'HelloJsFunction');
  assert.equal(functionNameOfLine('[my-fn.v2] START RequestId: x'), 'my-fn.v2');
  assert.equal(functionNameOfLine('Invoke API listening on http://127.0.0.1:3001'), undefined);
});
