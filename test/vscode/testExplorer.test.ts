// Integration: saved events appear in the Test Explorer per function; running and debugging them checks NAME.expected.json; Save as Test adds one.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WorkbenchApi } from '../../src/extension';
import type { ReportedTest } from '../../src/extension/testing/eventTestController';
import { continueFromStop, debugToBreakpoint, lambdaSessionsOfSuite } from './debugging';
import { activateExtension, findFunctionNode, fixturePath, logChannelText, removeFunctionProject, waitFor, writeFunctionProject } from './helpers';

suite('Test Explorer', () => {
  const expectations = [fixturePath('events', 'hello.expected.json'), fixturePath('events', 'fail.expected.json')];
  teardown(async () => {
    for (const file of expectations) await vscode.workspace.fs.delete(vscode.Uri.file(file)).then(undefined, () => undefined);
  });

  test('lists each function with its saved events, never the expectation files', async function () {
    this.timeout(60_000);
    const api = await activateExtension();
    await vscode.workspace.fs.writeFile(vscode.Uri.file(expectations[0]), Buffer.from('{ "responseContains": { "greeting": "Hello, Ada!" } }\n'));
    const item = await waitFor('HelloJsFunction in the Test Explorer', async () => {
      await api.eventTests.refreshHandler?.(new vscode.CancellationTokenSource().token);
      return api.eventTests.items.get('HelloJsFunction');
    });
    const events: string[] = [];
    item.children.forEach((child) => void events.push(child.label));
    assert.deepEqual(events.sort(), ['fail', 'hello']);
  });

  test('Run All checks each event against its expectation: a met one passes, an unmet one fails with its reason', async function () {
    this.timeout(120_000);
    const api = await activateExtension();
    await vscode.workspace.fs.writeFile(vscode.Uri.file(expectations[0]), Buffer.from('{ "responseContains": { "greeting": "Hello, Ada!" } }\n'));
    await vscode.workspace.fs.writeFile(vscode.Uri.file(expectations[1]), Buffer.from('{ "error": { "errorType": "TypeError" } }\n'));
    await api.eventTests.refreshHandler?.(new vscode.CancellationTokenSource().token);
    await knownTest(api, 'HelloJsFunction/hello');
    await knownTest(api, 'HelloJsFunction/fail');
    // What the Test Explorer's Run All button runs.
    await vscode.commands.executeCommand('testing.runAll');
    const text = await waitFor('both HelloJsFunction tests in the log', async () => {
      const log = await logChannelText(api);
      return /Test HelloJsFunction\/hello: /.test(log) && /Test HelloJsFunction\/fail: /.test(log) ? log : undefined;
    }, 90_000);
    assert.match(text, /Test HelloJsFunction\/hello: passed/);
    assert.match(text, /Test HelloJsFunction\/fail: failed \(The error differs from the expectation\.\)/);
  });
});

/** The next result the Test Explorer receives for test `id`. */
function nextReport(api: WorkbenchApi, id: string): { result: Promise<ReportedTest>; dispose(): void } {
  let listener: vscode.Disposable | undefined;
  const result = new Promise<ReportedTest>((resolve) => {
    listener = api.onDidReportTest((report) => {
      if (report.id === id) resolve(report);
    });
  });
  return { result, dispose: () => listener?.dispose() };
}

/**
 * Waits until test `id` (function/event) is in the extension's controller and the workbench lists it for its event file.
 * The workbench learns of test items a moment after the extension made them (the extension host sends them in batches):
 * until then "Run Tests in Current File" finds no test in the file and runs nothing.
 */
async function knownTest(api: WorkbenchApi, id: string): Promise<vscode.TestItem> {
  const item = await waitFor(`${id} in the Test Explorer`, () => {
    let found: vscode.TestItem | undefined;
    api.eventTests.items.forEach((parent) => {
      found ??= parent.children.get(id);
    });
    return found;
  }, 30_000);
  const file = item.uri;
  assert.ok(file, `${id} has its event file`);
  await waitFor(`the workbench to list ${id} in ${file.fsPath}`, async () => {
    const tests = await vscode.commands.executeCommand<string[][]>('vscode.testing.getTestsInFile', file);
    return tests.some((path) => path.at(-1) === id) || undefined;
  }, 30_000);
  return item;
}

suite('Test Explorer: Debug and Save as Test', () => {
  const sessions = lambdaSessionsOfSuite();
  teardown(async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await sessions.stopAll();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Debug Test stops at a breakpoint in the handler; after Continue the test fails with the expected and actual responses', async function () {
    this.timeout(180_000);
    const api = await activateExtension();
    const folder = fixturePath('debugged-test');
    await writeFunctionProject(folder, 'DebuggedTestFunction', ['exports.handler = async (event) => {', '  const greeting = `Hello, ${event.name}!`;', '  return { greeting };', '};']);
    const report = nextReport(api, 'DebuggedTestFunction/event');
    let ended = false;
    const ending = vscode.debug.onDidTerminateDebugSession((session) => {
      if (session.name === 'Debug test DebuggedTestFunction/event') ended = true;
    });
    try {
      await vscode.workspace.fs.writeFile(vscode.Uri.file(path.join(folder, 'events', 'event.expected.json')), Buffer.from('{ "response": { "greeting": "Hi, Nested!" } }\n'));
      await knownTest(api, 'DebuggedTestFunction/event');
      // The Test Explorer's "Debug Test" on the tests of the open file: the event file of this function's one test. The
      // command resolves when the run ended (after Continue), at once when it found no test: started is a session first.
      const debugTest = async () => {
        await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, 'events', 'event.json')));
        let sessionStarted = false;
        const watch = vscode.debug.onDidStartDebugSession((session) => {
          if (session.name === 'Debug test DebuggedTestFunction/event') sessionStarted = true;
        });
        try {
          const ended = Promise.resolve(vscode.commands.executeCommand('testing.debugCurrentFile')).then(() => false);
          return await Promise.race([ended, waitFor('the test\'s debug session', () => sessionStarted || undefined, 60_000)]);
        } finally {
          watch.dispose();
        }
      };
      const run = await debugToBreakpoint(api, 'DebuggedTestFunction', vscode.Uri.file(path.join(folder, 'src', 'app.js')), 'const greeting', undefined, debugTest);
      try {
        assert.equal(run.stop.reason, 'breakpoint');
        await continueFromStop(run);
        const reported = await report.result;
        assert.equal(reported.status, 'failed');
        const diff = reported.messages.find((message) => message.expectedOutput !== undefined);
        assert.ok(diff, `a diff among ${JSON.stringify(reported.messages.map((message) => message.message))}`);
        assert.match(String(diff.message), /^The response differs from the expected one\./);
        assert.deepEqual(JSON.parse(diff.expectedOutput ?? ''), { greeting: 'Hi, Nested!' });
        assert.deepEqual(JSON.parse(diff.actualOutput ?? ''), { greeting: 'Hello, Nested!' });
        // The test's debug session ends once its result is in.
        await waitFor('the test\'s debug session to end', () => ended || undefined, 60_000);
      } finally {
        run.dispose();
      }
    } finally {
      report.dispose();
      ending.dispose();
      await vscode.workspace.fs.delete(vscode.Uri.file(folder), { recursive: true });
    }
  });

  test('Save as Test on a response writes the event and its expectation where `test` reads them; the new test passes', async function () {
    this.timeout(120_000);
    const api = await activateExtension();
    const folder = fixturePath('events', 'HelloJsFunction');
    try {
      await vscode.commands.executeCommand('lambdaWorkbench.invokeFunction', { functionName: 'HelloJsFunction', event: { name: 'Saved' } });
      const response = vscode.Uri.from({ scheme: 'lambda-result', path: '/HelloJsFunction response.json' });
      const expectationFile = await vscode.commands.executeCommand<string>('lambdaWorkbench.saveAsTest', response, 'saved-greeting');
      // The workspace template declares three functions: the test goes to events/<LogicalId>/, run for this function only.
      assert.equal(expectationFile, path.join(folder, 'saved-greeting.expected.json'));
      assert.deepEqual(JSON.parse(await readFile(path.join(folder, 'saved-greeting.json'), 'utf8')), { name: 'Saved' });
      assert.deepEqual(JSON.parse(await readFile(expectationFile, 'utf8')), { response: { greeting: 'Hello, Saved!' } });
      await knownTest(api, 'HelloJsFunction/saved-greeting');

      const report = nextReport(api, 'HelloJsFunction/saved-greeting');
      try {
        await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, 'saved-greeting.json')));
        // "Run Tests in Current File" resolves once the run ended, with nothing when it found no test in the file.
        assert.ok(await vscode.commands.executeCommand('testing.runCurrentFile'), 'Run Tests in Current File found the saved test');
        const reported = await report.result;
        assert.equal(reported.status, 'passed', JSON.stringify(reported.messages.map((message) => message.message)));
      } finally {
        report.dispose();
      }
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.file(folder), { recursive: true }).then(undefined, () => undefined);
    }
  });

  test('Save as Test on an alias\'s response records the alias: Run invokes it and passes; Debug says debug sessions run $LATEST', async function () {
    this.timeout(180_000);
    const api = await activateExtension();
    const folder = fixturePath('aliased-test');
    // AutoPublishAlias: the template's code published as a version, with the alias live on it.
    await writeFunctionProject(folder, 'AliasedTestFunction', ['exports.handler = async () => ({ version: process.env.AWS_LAMBDA_FUNCTION_VERSION });'], ['AutoPublishAlias: live']);
    try {
      await waitFor('the new function in the view', () => findFunctionNode(api, 'AliasedTestFunction').catch(() => undefined));
      await vscode.commands.executeCommand('lambdaWorkbench.invokeFunction', { functionName: 'AliasedTestFunction', qualifier: 'live', event: { on: 'live' } });
      const response = vscode.Uri.from({ scheme: 'lambda-result', path: '/AliasedTestFunction:live response.json' });
      const expectationFile = await vscode.commands.executeCommand<string>('lambdaWorkbench.saveAsTest', response, 'on-alias');
      // The template's only function: the test goes to its events/.
      assert.equal(expectationFile, path.join(folder, 'events', 'on-alias.expected.json'));
      const expectation = JSON.parse(await readFile(expectationFile, 'utf8')) as { qualifier?: string; response?: { version?: string } };
      assert.equal(expectation.qualifier, 'live');
      assert.match(String(expectation.response?.version), /^\d+$/, 'the alias ran a published version');
      await knownTest(api, 'AliasedTestFunction/on-alias');
      await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, 'events', 'on-alias.json')));

      // Run invokes the alias again: $LATEST would answer version "$LATEST".
      const ran = nextReport(api, 'AliasedTestFunction/on-alias');
      try {
        assert.ok(await vscode.commands.executeCommand('testing.runCurrentFile'), 'Run Tests in Current File found the saved test');
        const reported = await ran.result;
        assert.equal(reported.status, 'passed', JSON.stringify(reported.messages.map((message) => message.message)));
      } finally {
        ran.dispose();
      }
      const debugged = nextReport(api, 'AliasedTestFunction/on-alias');
      try {
        assert.ok(await vscode.commands.executeCommand('testing.debugCurrentFile'), 'Debug Tests in Current File found the saved test');
        const reported = await debugged.result;
        assert.equal(reported.status, 'error');
        assert.match(String(reported.messages[0]?.message), /^AliasedTestFunction\/on-alias invokes AliasedTestFunction:live \(the "qualifier" of .*on-alias\.expected\.json\), and debug sessions run \$LATEST/);
      } finally {
        debugged.dispose();
      }
    } finally {
      await removeFunctionProject(api, folder, 'AliasedTestFunction');
    }
  });
});
