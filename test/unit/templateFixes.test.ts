// validateTemplate on an editor's unsaved text, and the edits it proposes: nearest allowed value, closest runtime, nearest folder.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { SourceEdit } from '../../src/core/common/errors';
import { closestRuntime } from '../../src/core/template/lambdaRuntimes';
import { validateTemplate } from '../../src/core/template/validateTemplate';

const HEADER = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n";

function samFunction(name: string, properties: string[]): string {
  return [`  ${name}:`, '    Type: AWS::Serverless::Function', '    Properties:', ...properties.map((line) => `      ${line}`), ''].join('\n');
}

/** The text with the edit applied (lines and columns 1-based, the end exclusive). */
function applyEdit(text: string, edit: SourceEdit): string {
  const lines = text.split('\n');
  const offset = (line: number, column: number) => lines.slice(0, line - 1).reduce((sum, current) => sum + current.length + 1, 0) + column - 1;
  return text.slice(0, offset(edit.line, edit.column)) + edit.newText + text.slice(offset(edit.endLine, edit.endColumn));
}

describe('validateTemplate: unsaved text and quick fixes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lwb-fixes-'));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'functions', 'orders'), { recursive: true });
  const file = join(dir, 'template.yaml');
  const onDisk = `${HEADER}Resources:\n${samFunction('Api', ['CodeUri: src/', 'Handler: app.handler', 'Runtime: nodejs20.x'])}`;
  writeFileSync(file, onDisk);
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Validates `text` as the editor's content of template.yaml; applies the one fix and validates again. */
  const fixOnce = async (text: string) => {
    const [problem, ...others] = await validateTemplate(file, { text });
    assert.equal(others.length, 0, JSON.stringify(others));
    assert.ok(problem?.fix, `a fix for ${JSON.stringify(problem)}`);
    const fixed = applyEdit(text, problem.fix);
    return { problem, fix: problem.fix, fixed, after: await validateTemplate(file, { text: fixed }) };
  };

  it('reads the given text, not the file on disk', async () => {
    assert.deepEqual(await validateTemplate(file), []);
    const text = onDisk.replace('Runtime: nodejs20.x', 'Runtime: nodejs20.x\n      Timeout: 0');
    const [problem] = await validateTemplate(file, { text });
    assert.equal(problem?.message, 'Timeout of Api is 0, but Lambda allows 1 to 900.');
    assert.equal(problem?.line, 10);
    assert.equal(readFileSync(file, 'utf8'), onDisk);
  });

  it('clamps MemorySize, Timeout and EphemeralStorage.Size to the nearest allowed value', async () => {
    const memory = await fixOnce(onDisk.replace('Runtime: nodejs20.x', 'Runtime: nodejs20.x\n      MemorySize: 20000'));
    assert.deepEqual(memory.fix, { title: 'Change MemorySize to 10240', file, line: 10, column: 19, endLine: 10, endColumn: 24, newText: '10240' });
    assert.deepEqual(memory.after, []);
    const timeout = await fixOnce(onDisk.replace('Runtime: nodejs20.x', 'Runtime: nodejs20.x\n      Timeout: 0'));
    assert.equal(timeout.fix.newText, '1');
    assert.deepEqual(timeout.after, []);
    const storage = await fixOnce(onDisk.replace('Runtime: nodejs20.x', 'Runtime: nodejs20.x\n      EphemeralStorage:\n        Size: 100'));
    assert.equal(storage.fix.title, 'Change EphemeralStorage.Size to 512');
    assert.equal(storage.fix.line, 11);
    assert.deepEqual(storage.after, []);
  });

  it('offers the closest current runtime, quoted as the original is', async () => {
    assert.equal(closestRuntime('nodejs99.x'), 'nodejs24.x');
    assert.equal(closestRuntime('nodej20.x'), 'nodejs20.x');
    assert.equal(closestRuntime('python3.99'), 'python3.14');
    assert.equal(closestRuntime('pyhton3.12'), 'python3.12');
    const plain = await fixOnce(onDisk.replace('Runtime: nodejs20.x', 'Runtime: nodejs99.x'));
    assert.equal(plain.fix.title, 'Change Runtime to nodejs24.x');
    assert.equal(plain.fix.newText, 'nodejs24.x');
    assert.deepEqual(plain.after, []);
    const quoted = await fixOnce(onDisk.replace('Runtime: nodejs20.x', "Runtime: 'pyhton3.12'"));
    assert.equal(quoted.fix.newText, "'python3.12'");
    assert.deepEqual(quoted.after, []);
  });

  it('fixes a value set in Globals where it is written', async () => {
    const text = `${HEADER}Globals:\n  Function:\n    Timeout: 901\nResources:\n${samFunction('Api', ['CodeUri: src/', 'Handler: app.handler', 'Runtime: nodejs20.x'])}`;
    const { fix, after: rest } = await fixOnce(text);
    assert.deepEqual({ line: fix.line, newText: fix.newText }, { line: 5, newText: '900' });
    assert.deepEqual(rest, []);
  });

  it('offers no edit for a value that comes from an intrinsic function', async () => {
    const text = `${HEADER}Parameters:\n  Memory:\n    Type: Number\n    Default: 64\nResources:\n${samFunction('Api', ['CodeUri: src/', 'Handler: app.handler', 'Runtime: nodejs20.x', 'MemorySize: !Ref Memory'])}`;
    const [problem] = await validateTemplate(file, { text });
    assert.match(problem?.message ?? '', /MemorySize of Api is 64/);
    assert.equal(problem?.fix, undefined);
  });

  it('points a missing CodeUri at the existing folder nearest by name, and offers nothing when none is near', async () => {
    const typo = await fixOnce(onDisk.replace('CodeUri: src/', 'CodeUri: scr/'));
    assert.equal(typo.problem.severity, 'warning');
    assert.deepEqual({ title: typo.fix.title, newText: typo.fix.newText }, { title: 'Change CodeUri to src/', newText: 'src/' });
    assert.deepEqual(typo.after, []);
    const nested = await fixOnce(onDisk.replace('CodeUri: src/', 'CodeUri: functions/ordrs'));
    assert.equal(nested.fix.newText, 'functions/orders');
    const [far] = await validateTemplate(file, { text: onDisk.replace('CodeUri: src/', 'CodeUri: backend/') });
    assert.equal(far?.severity, 'warning');
    assert.equal(far?.fix, undefined);
  });

  it('keeps JSON templates JSON: a string value is replaced with a quoted one', async () => {
    const json = join(dir, 'template.json');
    const text = JSON.stringify({ Resources: { Api: { Type: 'AWS::Serverless::Function', Properties: { CodeUri: 'src', Handler: 'app.handler', Runtime: 'nodejs99.x' } } } }, null, 2);
    const [problem] = await validateTemplate(json, { text });
    assert.equal(problem?.fix?.newText, '"nodejs24.x"');
    assert.deepEqual(await validateTemplate(json, { text: applyEdit(text, problem.fix) }), []);
  });

  it('writes nothing while validating: inline code stays in the template', async () => {
    const text = `${HEADER}Resources:\n${samFunction('Inline', ['InlineCode: "exports.handler = async () => 1;"', 'Handler: index.handler', 'Runtime: nodejs20.x'])}`;
    assert.deepEqual(await validateTemplate(file, { text }), []);
    assert.equal(existsSync(join(dir, '.lambda-workbench')), false);
  });
});
