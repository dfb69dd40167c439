// "Save as Test" in the engine: where an invocation's event and expectation go, and `lambda-workbench test` running them.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { listSavedEvents } from '../../src/core/events/savedEvents';
import { findFunction, loadTemplate } from '../../src/core/template';
import { saveEventTest, savedEventLike, testEventFolder, testNameProblem } from '../../src/core/testing/saveEventTest';
import { runCli } from '../support/cliRun';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    CodeUri: src/
Resources:
  GreetFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.greet
  RefuseFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.refuse
`;

const HANDLERS = `
exports.greet = async (event) => ({ greeting: 'Hello, ' + event.name + '!' });
exports.refuse = async (event) => {
  const error = new Error('refusing ' + event.name);
  error.name = 'ValidationError';
  throw error;
};
`;

describe('Save as Test (engine)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lwb-savetest-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'app.js'), HANDLERS);

  it('writes a response and an error as tests that `lambda-workbench test` runs and passes, for their function only', async () => {
    const model = await loadTemplate(join(dir, 'template.yaml'));
    const greet = findFunction(model, 'GreetFunction');
    const refuse = findFunction(model, 'RefuseFunction');
    // Two functions in the template: each test goes to events/<LogicalId>/; a template's only function uses events/.
    assert.equal(testEventFolder(greet, false), join(dir, 'events', 'GreetFunction'));
    assert.equal(testEventFolder(greet, true), join(dir, 'events'));

    const saved = await saveEventTest({
      folder: testEventFolder(greet, false),
      name: 'ada',
      event: Buffer.from('{"name":"Ada"}'),
      invocation: { response: '{"greeting":"Hello, Ada!"}', failed: false },
    });
    assert.deepEqual(saved, { eventFile: join(dir, 'events', 'GreetFunction', 'ada.json'), expectationFile: join(dir, 'events', 'GreetFunction', 'ada.expected.json') });
    assert.equal(readFileSync(saved.eventFile, 'utf8'), '{\n  "name": "Ada"\n}\n');
    assert.deepEqual(JSON.parse(readFileSync(saved.expectationFile, 'utf8')), { response: { greeting: 'Hello, Ada!' } });
    await saveEventTest({
      folder: testEventFolder(refuse, false),
      name: 'bob',
      event: Buffer.from('{"name":"Bob"}'),
      invocation: { response: '{"errorType":"ValidationError","errorMessage":"refusing Bob","trace":[]}', failed: true },
    });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'events', 'RefuseFunction', 'bob.expected.json'), 'utf8')), {
      error: { errorType: 'ValidationError', errorMessage: 'refusing Bob' },
    });

    const run = await runCli(['test'], { cwd: dir });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^TAP version 13\n1\.\.2\n/);
    assert.match(run.stdout, /^ok \d+ - GreetFunction\/ada/m);
    assert.match(run.stdout, /^ok \d+ - RefuseFunction\/bob/m);
  });

  it('recognises an event that is already saved, keeps its file, and refuses names taken or reserved', async () => {
    const model = await loadTemplate(join(dir, 'template.yaml'));
    const greet = findFunction(model, 'GreetFunction');
    writeFileSync(join(dir, 'events', 'GreetFunction', 'grace.json'), '{ "name": "Grace" }\n');
    const same = await savedEventLike(greet, Buffer.from('{"name":"Grace"}'));
    assert.equal(same?.file, join(dir, 'events', 'GreetFunction', 'grace.json'));
    assert.equal(await savedEventLike(greet, Buffer.from('{"name":"Nobody"}')), undefined);

    const saved = await listSavedEvents(greet);
    assert.equal(testNameProblem('grace', saved, same), undefined);
    assert.match(testNameProblem('ada', saved, same) ?? '', /^ada is already a saved event of this function/);
    assert.match(testNameProblem('x.expected', saved) ?? '', /expectation file/);
    assert.match(testNameProblem('../escape', saved) ?? '', /Use letters, digits/);

    const kept = await saveEventTest({ folder: '/nonexistent', name: 'grace', event: Buffer.from('{"name":"Grace"}'), invocation: { response: '"x"', failed: false }, existing: same });
    assert.equal(kept.eventFile, same?.file);
    assert.equal(readFileSync(kept.eventFile, 'utf8'), '{ "name": "Grace" }\n', 'the saved event is left as written');
    assert.deepEqual(JSON.parse(readFileSync(kept.expectationFile, 'utf8')), { response: 'x' });
    await assert.rejects(
      saveEventTest({ folder: join(dir, 'events', 'GreetFunction'), name: 'ada', event: Buffer.from('{}'), invocation: { response: '{}', failed: false } }),
      /EEXIST/,
    );
  });
});
