// Template errors carry a stable code, a clear message, and the file position of the problem.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isWorkbenchError, type ErrorCode } from '../../src/core/common/errors';
import { findFunction, loadTemplate } from '../../src/core/template';

const errors = path.resolve(__dirname, '../../../test/fixtures/templates/errors');

interface Expected {
  code: ErrorCode;
  message: RegExp;
  line?: number;
  column?: number;
  hint?: RegExp;
}

async function expectError(file: string, expected: Expected, options = {}): Promise<void> {
  const fullPath = path.join(errors, file);
  await assert.rejects(loadTemplate(fullPath, options), (error) => {
    assert.ok(isWorkbenchError(error, expected.code), `expected ${expected.code}, got ${String(error)}`);
    assert.match(error.message, expected.message);
    if (expected.hint) assert.match(error.options.hint ?? '', expected.hint);
    const location = error.options.location;
    assert.equal(location?.file, fullPath);
    assert.equal(location?.line, expected.line);
    assert.equal(location?.column, expected.column);
    return true;
  });
}

describe('template errors', () => {
  it('a missing file is TEMPLATE_NOT_FOUND', async () => {
    await assert.rejects(loadTemplate(path.join(errors, 'missing.yaml')), (error) => {
      assert.ok(isWorkbenchError(error, 'TEMPLATE_NOT_FOUND'));
      assert.match(error.message, /Template not found: .*missing\.yaml/);
      return true;
    });
  });

  it('a folder is TEMPLATE_NOT_FOUND', async () => {
    await assert.rejects(loadTemplate(errors), (error) => isWorkbenchError(error, 'TEMPLATE_NOT_FOUND') && /is a directory/.test(error.message));
  });

  it('YAML syntax errors are TEMPLATE_PARSE with line and column', () =>
    expectError('bad-indent.yaml', { code: 'TEMPLATE_PARSE', message: /^YAML syntax error: Nested mappings/, hint: /indentation/, line: 6, column: 16 }));

  it('JSON syntax errors are TEMPLATE_PARSE with line and column', () =>
    expectError('unclosed.json', { code: 'TEMPLATE_PARSE', message: /^JSON syntax error: Expected double-quoted property name$/, line: 8, column: 1 }));

  it('unknown tags are TEMPLATE_PARSE at the tag', () =>
    expectError('unknown-tag.yaml', { code: 'TEMPLATE_PARSE', message: /Unresolved tag: !Reff/, line: 7, column: 16 }));

  it('a YAML file without Resources is TEMPLATE_INVALID and says why', () =>
    expectError('compose.yaml', { code: 'TEMPLATE_INVALID', message: /Not a CloudFormation template: it has no Resources section \(top-level keys: services\)/ }));

  it('a YAML list is TEMPLATE_INVALID', () =>
    expectError('list.yaml', { code: 'TEMPLATE_INVALID', message: /the file is a list/, line: 1, column: 1 }));

  it('a resource without Type is TEMPLATE_INVALID at its logical id', () =>
    expectError('no-type.yaml', { code: 'TEMPLATE_INVALID', message: /resource 'Nameless' has no Type/, line: 4, column: 3 }));

  it('MemorySize below 128 points at MemorySize', () =>
    expectError('memory.yaml', { code: 'TEMPLATE_INVALID', message: /MemorySize of Small is 64, but Lambda allows 128 to 10240/, line: 9, column: 7 }));

  it('Timeout over 900 set in Globals points at Globals', () =>
    expectError('timeout-global.yaml', { code: 'TEMPLATE_INVALID', message: /Timeout of Slow is 901, but Lambda allows 1 to 900/, line: 4, column: 5 }));

  it('Timeout 0 is rejected', () =>
    expectError('timeout-zero.yaml', { code: 'TEMPLATE_INVALID', message: /Timeout of Instant is 0/, line: 8, column: 7 }));

  it('more than 5 layers points at Layers', () =>
    expectError('layers.yaml', { code: 'TEMPLATE_INVALID', message: /Layered uses 6 layers, but a function can use at most 5/, line: 9, column: 7 }));

  it('an unknown runtime lists the runtimes to use', () =>
    expectError('runtime.yaml', { code: 'TEMPLATE_INVALID', message: /Runtime 'node20' of Unknown is not a Lambda runtime/, hint: /nodejs20\.x/, line: 8, column: 7 }));

  it('CodeUri in S3 cannot run locally', () =>
    expectError('s3-codeuri.yaml', { code: 'TEMPLATE_INVALID', message: /code in S3 \(s3:\/\/my-artifacts\/abc123\), which cannot run locally/, hint: /local folder/, line: 6, column: 7 }));

  it('Code in S3 cannot run locally', () =>
    expectError('s3-code.yaml', { code: 'TEMPLATE_INVALID', message: /code in S3 \(s3:\/\/my-artifacts\/function\.zip\)/, line: 7, column: 7 }));

  it('findFunction lists the functions of the template', async () => {
    const model = await loadTemplate(path.join(errors, '..', 'globals.yaml'));
    assert.throws(() => findFunction(model, 'Nope'), (error) => {
      assert.ok(isWorkbenchError(error, 'FUNCTION_NOT_FOUND'));
      assert.match(error.message, /^Function 'Nope' not found in .*globals\.yaml\. Functions in this template: UsesGlobals, OverridesGlobals, PlainLambda$/);
      return true;
    });
  });

  it('findFunction says when a template has no functions', async () => {
    const model = await loadTemplate(path.join(errors, 'empty-functions.yaml'));
    assert.throws(() => findFunction(model, 'Any'), (error) =>
      isWorkbenchError(error, 'FUNCTION_NOT_FOUND') && /not found in .*empty-functions\.yaml\. This template has no functions$/.test(error.message));
  });
});
