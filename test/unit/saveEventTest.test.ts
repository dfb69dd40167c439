// "Save as Test" in the engine: where an invocation's event and expectation go, and `lambda-workbench test` running them.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { listSavedEvents } from '../../src/core/events/savedEvents';
import { findFunction, loadTemplate } from '../../src/core/template';
import { saveEventTest, savedEventLike, testEventFolder, testNameProblem } from '../../src/core/testing/saveEventTest';
import { runCli } from '../support/cliRun';
import { eventTestWorkspace, nodeFunctionsTemplate, REFUSE_HANDLER, tapLines } from '../support/eventTestWorkspace';

const TEMPLATE = nodeFunctionsTemplate({
  GreetFunction: ['Handler: app.greet'],
  RefuseFunction: ['Handler: app.refuse'],
  // Version 1 and its alias live, published when the template loads; the response names the version that ran.
  VersionedFunction: ['Handler: app.version', 'AutoPublishAlias: live'],
});

const HANDLERS = `
exports.greet = async (event) => ({ greeting: 'Hello, ' + event.name + '!' });
exports.version = async () => ({ version: process.env.AWS_LAMBDA_FUNCTION_VERSION });
${REFUSE_HANDLER}`;

describe('Save as Test (engine)', () => {
  const dir = eventTestWorkspace('lwb-savetest-', TEMPLATE, HANDLERS);
  after(() => rmSync(dir, { recursive: true, force: true }));

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
      projectRoot: dir,
    });
    assert.deepEqual(saved, { eventFile: join(dir, 'events', 'GreetFunction', 'ada.json'), expectationFile: join(dir, 'events', 'GreetFunction', 'ada.expected.json') });
    assert.equal(readFileSync(saved.eventFile, 'utf8'), '{\n  "name": "Ada"\n}\n');
    assert.deepEqual(JSON.parse(readFileSync(saved.expectationFile, 'utf8')), { response: { greeting: 'Hello, Ada!' } });
    await saveEventTest({
      folder: testEventFolder(refuse, false),
      name: 'bob',
      event: Buffer.from('{"name":"Bob"}'),
      invocation: { response: '{"errorType":"ValidationError","errorMessage":"refusing Bob","trace":[]}', failed: true },
      projectRoot: dir,
    });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'events', 'RefuseFunction', 'bob.expected.json'), 'utf8')), {
      error: { errorType: 'ValidationError', errorMessage: 'refusing Bob' },
    });

    const run = await runCli(['test', 'GreetFunction', 'RefuseFunction'], { cwd: dir });
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

    const kept = await saveEventTest({ folder: '/nonexistent', name: 'grace', event: Buffer.from('{"name":"Grace"}'), invocation: { response: '"x"', failed: false }, existing: same, projectRoot: dir });
    assert.equal(kept.eventFile, same?.file);
    assert.equal(readFileSync(kept.eventFile, 'utf8'), '{ "name": "Grace" }\n', 'the saved event is left as written');
    assert.deepEqual(JSON.parse(readFileSync(kept.expectationFile, 'utf8')), { response: 'x' });
    await assert.rejects(
      saveEventTest({ folder: join(dir, 'events', 'GreetFunction'), name: 'ada', event: Buffer.from('{}'), invocation: { response: '{}', failed: false }, projectRoot: dir }),
      /EEXIST/,
    );
  });

  it('records the version or alias an invocation ran; `test` invokes that qualifier, and $LATEST when there is none', async () => {
    const versioned = findFunction(await loadTemplate(join(dir, 'template.yaml')), 'VersionedFunction');
    const folder = testEventFolder(versioned, false);
    // What Invoke Function on the alias showed, as the CLI gets it.
    const invoked = await runCli(['invoke', 'VersionedFunction:live', '--event', '-'], { cwd: dir, stdin: '{}' });
    assert.equal(invoked.code, 0, invoked.stderr);
    assert.deepEqual(JSON.parse(invoked.stdout), { version: '1' });
    const aliased = await saveEventTest({ folder, name: 'on-alias', event: Buffer.from('{}'), invocation: { response: invoked.stdout, failed: false }, qualifier: 'live', projectRoot: dir });
    assert.deepEqual(JSON.parse(readFileSync(aliased.expectationFile, 'utf8')), { qualifier: 'live', response: { version: '1' } });
    // $LATEST is what a test runs without a qualifier: none is written.
    const latest = await saveEventTest({ folder, name: 'on-latest', event: Buffer.from('{"a":1}'), invocation: { response: '{"version":"$LATEST"}', failed: false }, qualifier: '$LATEST', projectRoot: dir });
    assert.deepEqual(JSON.parse(readFileSync(latest.expectationFile, 'utf8')), { response: { version: '$LATEST' } });

    const run = await runCli(['test', 'VersionedFunction'], { cwd: dir });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(tapLines(run.stdout).map((line) => line.replace(/^ok \d+ - /, '').replace(/ \(\d+ ms\)$/, '')).sort(), ['VersionedFunction/on-alias', 'VersionedFunction/on-latest']);

    // The same response expected of $LATEST fails: the qualifier is what made the test invoke the alias.
    writeFileSync(aliased.expectationFile, JSON.stringify({ response: { version: '1' } }));
    const unqualified = await runCli(['test', 'VersionedFunction'], { cwd: dir });
    assert.equal(unqualified.code, 1, unqualified.stdout);
    assert.match(unqualified.stdout.slice(unqualified.stdout.indexOf('VersionedFunction/on-alias')), /The response differs from the expected one\.[\s\S]*version: '\$LATEST'/);

    // A snapshot update keeps the qualifier it ran with.
    writeFileSync(aliased.expectationFile, JSON.stringify({ qualifier: 'live', response: { version: 'stale' } }));
    const updated = await runCli(['test', 'VersionedFunction', '--update-snapshots'], { cwd: dir });
    assert.equal(updated.code, 0, updated.stdout + updated.stderr);
    assert.deepEqual(JSON.parse(readFileSync(aliased.expectationFile, 'utf8')), { qualifier: 'live', response: { version: '1' } });
  });

  it('refuses a qualifier Invoke would refuse, naming the expectation file, line and column', async () => {
    mkdirSync(join(dir, 'events', 'VersionedFunction'), { recursive: true });
    writeFileSync(join(dir, 'events', 'VersionedFunction', 'bad.json'), '{}\n');
    writeFileSync(join(dir, 'events', 'VersionedFunction', 'bad.expected.json'), '{\n  "qualifier": "live:1",\n  "response": {}\n}\n');
    const run = await runCli(['test', 'VersionedFunction'], { cwd: dir });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /bad\.expected\.json:2:16: Invalid expectation file: .*qualifier.* must match the pattern/);
  });
});
