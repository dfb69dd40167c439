// `lambda-workbench test` end to end through dist/cli.js: saved events as tests, diffs, snapshots, JUnit XML, bad input, Ctrl-C.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { validateXML } from 'xmllint-wasm';
import { listSavedEvents } from '../../src/core/events/savedEvents';
import { functionFromHandler } from '../../src/core/template';
import { CLI, runCli } from '../support/cliRun';
import { eventTestWorkspace, nodeFunctionsTemplate, REFUSE_HANDLER, tapLines, writeJson } from '../support/eventTestWorkspace';
import { pidAlive } from '../support/processes';
import { descendantsOf } from '../support/processTree';

const JUNIT_XSD = resolve(__dirname, '../../../test/fixtures/junit/junit.xsd');

const TEMPLATE = nodeFunctionsTemplate({
  GreetFunction: ['Handler: app.greet'],
  RefuseFunction: ['Handler: app.refuse'],
  HangFunction: ['Handler: app.hang', 'Timeout: 1'],
});

const HANDLERS = `
exports.greet = async (event) => {
  console.log('greeting', event.name);
  return { greeting: 'Hello, ' + event.name + '!', length: event.name.length, at: { city: 'Paris', zip: '75001' } };
};
exports.hang = async () => {
  await new Promise(() => setInterval(() => undefined, 1000));
};
${REFUSE_HANDLER}`;

/** A workspace with three functions and their saved events in each of the places the view lists them. */
function workspace(): string {
  const dir = eventTestWorkspace('lwb-eventtests-', TEMPLATE, HANDLERS);
  writeJson(join(dir, 'events', 'GreetFunction', 'ada.json'), { name: 'Ada' });
  writeJson(join(dir, 'events', 'GreetFunction', 'ada.expected.json'), {
    response: { greeting: 'Hello, Ada!', length: 3, at: { city: 'Paris', zip: '75001' } },
    logs: ['greeting Ada', '/INFO\\s+greeting/'],
  });
  writeJson(join(dir, 'events', 'GreetFunction', 'grace.json'), { name: 'Grace' });
  writeJson(join(dir, 'events', 'GreetFunction', 'grace.expected.json'), { responseContains: { greeting: 'Hello, Grace!', at: { city: 'Paris' } } });
  writeJson(join(dir, 'events', 'RefuseFunction', 'bob.json'), { name: 'Bob' });
  writeJson(join(dir, 'events', 'RefuseFunction', 'bob.expected.json'), { error: { errorType: 'ValidationError', errorMessage: 'refusing Bob' } });
  return dir;
}

describe('lambda-workbench test', () => {
  const dirs: string[] = [];
  const make = () => {
    const dir = workspace();
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('passes when every saved event meets its expectation: response, subset, error and log lines', async () => {
    const dir = make();
    const run = await runCli(['test', 'GreetFunction', 'RefuseFunction'], { cwd: dir });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^TAP version 13\n1\.\.3\n/);
    assert.deepEqual(tapLines(run.stdout).map((line) => line.replace(/ \(\d+ ms\)$/, '').replace(/^ok \d+/, 'ok')).sort(), [
      'ok - GreetFunction/ada',
      'ok - GreetFunction/grace',
      'ok - RefuseFunction/bob',
    ]);
    assert.match(run.stdout, /\n# 3 passed, 0 failed, 0 updated, 0 errors\n$/);
  });

  it('fails with a readable diff, the log, and exit status 1 when a response differs', async () => {
    const dir = make();
    writeJson(join(dir, 'events', 'GreetFunction', 'ada.expected.json'), { response: { greeting: 'Hi, Ada!', length: 3, at: { city: 'Paris', zip: '75001' } } });
    writeJson(join(dir, 'events', 'RefuseFunction', 'bob.expected.json'), { response: { ok: true } });
    const run = await runCli(['test', 'GreetFunction', 'RefuseFunction'], { cwd: dir });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const ada = run.stdout.slice(run.stdout.indexOf('GreetFunction/ada'));
    assert.match(tapLines(run.stdout).find((line) => line.includes('GreetFunction/ada')) ?? '', /^not ok /);
    assert.match(ada, /The response differs from the expected one\./);
    assert.match(ada, /\+ actual - expected/);
    assert.match(ada, /\+\s+greeting: 'Hello, Ada!'/);
    assert.match(ada, /-\s+greeting: 'Hi, Ada!'/);
    assert.match(ada, /log: \|-\n\s+START RequestId: /);
    const bob = run.stdout.slice(run.stdout.indexOf('RefuseFunction/bob'));
    assert.match(bob, /The invocation failed: ValidationError: refusing Bob/);
    assert.match(run.stdout, /# 1 passed, 2 failed, 0 updated, 0 errors\n$/);
  });

  it('--update-snapshots writes missing and unmet expectations, names each file, and leaves met ones alone', async () => {
    const dir = make();
    const met = join(dir, 'events', 'GreetFunction', 'grace.expected.json');
    const metBefore = readFileSync(met, 'utf8');
    const metTime = statSync(met).mtimeMs;
    writeJson(join(dir, 'events', 'GreetFunction', 'ada.expected.json'), { response: { greeting: 'stale' }, logs: ['greeting Ada'] });
    writeJson(join(dir, 'events', 'RefuseFunction', 'eve.json'), { name: 'Eve' });

    const run = await runCli(['test', 'GreetFunction', 'RefuseFunction', '--update-snapshots'], { cwd: dir });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /Rewrote .*ada\.expected\.json: The response differs/);
    assert.match(run.stdout, /Wrote .*eve\.expected\.json\./);
    assert.match(run.stdout, /# 2 passed, 0 failed, 2 updated, 0 errors\n$/);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'events', 'GreetFunction', 'ada.expected.json'), 'utf8')), {
      response: { greeting: 'Hello, Ada!', length: 3, at: { city: 'Paris', zip: '75001' } },
      logs: ['greeting Ada'],
    });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'events', 'RefuseFunction', 'eve.expected.json'), 'utf8')), {
      error: { errorType: 'ValidationError', errorMessage: 'refusing Eve' },
    });
    assert.equal(readFileSync(met, 'utf8'), metBefore);
    assert.equal(statSync(met).mtimeMs, metTime);

    const again = await runCli(['test', 'GreetFunction', 'RefuseFunction'], { cwd: dir });
    assert.equal(again.code, 0, again.stdout);
    assert.match(again.stdout, /# 4 passed, 0 failed, 0 updated, 0 errors\n$/);
  });

  it('writes a JUnit XML report that the JUnit schema accepts, one suite per function', async () => {
    const dir = make();
    writeJson(join(dir, 'events', 'GreetFunction', 'grace.expected.json'), { responseContains: { greeting: 'nope' } });
    const run = await runCli(['test', 'GreetFunction', 'RefuseFunction', '--junit', 'reports/lambda.xml'], { cwd: dir });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const xml = readFileSync(join(dir, 'reports', 'lambda.xml'), 'utf8');
    const validation = await validateXML({ xml: { fileName: 'lambda.xml', contents: xml }, schema: { fileName: 'junit.xsd', contents: readFileSync(JUNIT_XSD, 'utf8') } });
    assert.ok(validation.valid, validation.rawOutput);
    assert.match(xml, /<testsuites name="lambda-workbench test" tests="3" failures="1" errors="0"/);
    assert.match(xml, /<testsuite name="GreetFunction" tests="2" failures="1"/);
    assert.match(xml, /<testcase classname="GreetFunction" name="grace"[^>]*>\s*<failure message="The response does not contain the expected one\." type="ExpectationFailed">/);
    assert.match(xml, /<testsuite name="RefuseFunction" tests="1" failures="0"/);
  });

  it('a hanging function fails its own test at its Timeout while the others pass', async () => {
    const dir = make();
    writeJson(join(dir, 'events', 'HangFunction', 'wait.json'), {});
    const run = await runCli(['test'], { cwd: dir });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const hang = run.stdout.slice(run.stdout.indexOf('HangFunction/wait'));
    assert.match(hang, /^HangFunction\/wait[^\n]*\n\s+---\n\s+message: \|-\n\s+The invocation failed: Sandbox\.Timedout: /);
    assert.match(hang, /Task timed out after 1\.00 seconds/);
    assert.match(run.stdout, /# 3 passed, 1 failed, 0 updated, 0 errors\n$/);
  });

  it('a malformed expectation file is an error naming the file, line and column; the other tests still run', async () => {
    const dir = make();
    writeFileSync(join(dir, 'events', 'GreetFunction', 'ada.expected.json'), '{\n  "response": {"greeting": "Hello, Ada!"},\n  "respnse": 1\n}\n');
    writeFileSync(join(dir, 'events', 'RefuseFunction', 'bob.expected.json'), '{\n  "error": {"errorType": "ValidationError",}\n}\n');
    const run = await runCli(['test', 'GreetFunction', 'RefuseFunction'], { cwd: dir });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /ada\.expected\.json:3:3: Invalid expectation file: Property 'respnse' is not allowed here\./);
    assert.match(run.stdout, /bob\.expected\.json:2:44: Invalid expectation file: Trailing comma is not allowed in JSON\./);
    assert.match(run.stdout, /# 1 passed, 0 failed, 0 updated, 2 errors\n$/);
  });

  it('names the functions that exist when asked for one that does not, and says when there is nothing to test', async () => {
    const dir = make();
    const unknown = await runCli(['test', 'NoSuchFunction'], { cwd: dir });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Function 'NoSuchFunction' not found\. Functions in this template: GreetFunction, HangFunction, RefuseFunction\./);
    const none = await runCli(['test', 'HangFunction'], { cwd: dir });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /No saved events to test for HangFunction\./);
  });

  it('Ctrl-C stops the run and every environment it started', async () => {
    const dir = make();
    writeJson(join(dir, 'events', 'HangFunction', 'wait.json'), {});
    writeFileSync(join(dir, 'template.yaml'), TEMPLATE.replace('Timeout: 1', 'Timeout: 300'));
    const child = spawn(process.execPath, [CLI, 'test', 'HangFunction'], { cwd: dir, stdio: 'pipe' });
    const exited = new Promise<number | null>((done) => child.on('close', done));
    // The function's environment is a process of the run (under bubblewrap where installed): wait until it is there.
    const deadline = Date.now() + 60_000;
    while (!descendantsOf(child.pid ?? 0).some((entry) => /bootstrap|runtime/.test(entry.command))) {
      assert.ok(Date.now() < deadline, `the function's environment never started: ${JSON.stringify(descendantsOf(child.pid ?? 0))}`);
      await delay(50);
    }
    await delay(1000); // into the hanging invocation
    const environment = descendantsOf(child.pid ?? 0);
    child.kill('SIGINT');
    assert.notEqual(await exited, 0);
    const survivors = environment.filter((entry) => pidAlive(entry.pid));
    assert.deepEqual(survivors, [], 'processes of the run outlived it');
  });
});

describe('saved events and their expectations', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-savedevents-'));
    writeJson(join(dir, 'events', 'a.json'), {});
    writeJson(join(dir, 'events', 'a.expected.json'), { response: 1 });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('never lists an expectation file as an event', async () => {
    const spec = functionFromHandler({ handler: 'app.handler', runtime: 'nodejs20.x', codeDir: dir });
    assert.deepEqual((await listSavedEvents(spec)).map((event) => event.name), ['a']);
  });
});
