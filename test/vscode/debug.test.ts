// Integration: "Debug Function" starts a lambda-workbench session whose child debugger stops at a breakpoint in the handler.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { consoleLine, continueFromStop, debugToBreakpoint, lambdaSessionsOfSuite, topFrame, type DebugRun, type Stop } from './debugging';
import { activateExtension, findFunctionNode, fixturePath, logChannelText, logTail, waitFor, writeFunctionProject } from './helpers';

suite('Debug Function', () => {
  // Every lambda-workbench session a test started, stopped by the teardown.
  const sessions = lambdaSessionsOfSuite();
  const started = sessions.started;

  teardown(async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    // Stopping the lambda-workbench session ends its child sessions (lifecycleManagedByParent); stopping every session at
    // once would also ask the children, whose terminate is then cancelled by their parent's end.
    await sessions.stopAll();
    await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
  });

  test('stops at a breakpoint in the TypeScript handler source', async function () {
    this.timeout(120_000);
    const api = await activateExtension();
    const file = vscode.Uri.file(fixturePath('hello-ts', 'app.ts'));
    const run = await debugToBreakpoint(api, 'HelloTsFunction', file, 'const name = event.name');
    run.dispose();
    assert.equal(run.stop.reason, 'breakpoint');
    const frame = await topFrame(run.stop);
    assert.ok(frame.source?.path?.endsWith(file.fsPath), `stopped in ${frame.source?.path}`);
    assert.equal(frame.line, run.line + 1);
  });

  test('stops at a breakpoint in the JavaScript handler', async function () {
    this.timeout(120_000);
    const api = await activateExtension();
    const file = vscode.Uri.file(fixturePath('hello-js', 'app.js'));
    const run = await debugToBreakpoint(api, 'HelloJsFunction', file, "console.log('event received'");
    run.dispose();
    assert.equal(run.stop.reason, 'breakpoint');
    const frame = await topFrame(run.stop);
    assert.ok(frame.source?.path?.endsWith(file.fsPath), `stopped in ${frame.source?.path}`);
    assert.equal(frame.line, run.line + 1);
  });

  test('after Continue at a breakpoint the invocation ends with its response and REPORT', async function () {
    this.timeout(120_000);
    const api = await activateExtension();
    const file = vscode.Uri.file(fixturePath('hello-js', 'app.js'));
    const run = await debugToBreakpoint(api, 'HelloJsFunction', file, "console.log('event received'");
    try {
      await continueFromStop(run);
      assert.match(await consoleLine(run, /^Response: /), /Hello, Debugger!/);
      await consoleLine(run, /^REPORT RequestId: /);
      // Lines added to an open output group stay invisible in the Debug Console once the child session has stopped.
      assert.deepEqual(run.groups, []);
      const requestId = /^START RequestId: (\S+)/m.exec(run.output.join(''))?.[1];
      assert.equal(run.stop.session.name, `HelloJsFunction (${requestId})`, 'the call stack names the function and the request');
      assert.ok(!run.output.some((line) => /^(Debugger listening on|For help, see:)/.test(line)), 'no inspector banners');
      // The same places as after "Invoke Function": the response editor and the log channel.
      // The document may still show an earlier session's result until this one's arrives.
      const response = await waitFor('the response editor', () =>
        vscode.workspace.textDocuments.find(
          (document) => document.uri.scheme === 'lambda-result' && document.uri.path === '/HelloJsFunction response.json' && document.getText().includes('Hello, Debugger!'),
        ),
      );
      assert.deepEqual(JSON.parse(response.getText()), { greeting: 'Hello, Debugger!' });
      await waitFor('the response in the log channel', async () => (await logChannelText(api)).includes(`[HelloJsFunction] Response of ${requestId}: {"greeting":"Hello, Debugger!"}`) || undefined).catch(
        async (error: Error) => assert.fail(`${error.message}\n${await logTail(api)}`),
      );
      assert.match(await logChannelText(api), new RegExp(`\\[HelloJsFunction\\] REPORT RequestId: ${requestId}`));
    } finally {
      run.dispose();
    }
  });

  test('a handler that throws under the debugger ends with its error and REPORT after Continue', async function () {
    this.timeout(120_000);
    const api = await activateExtension();
    const file = vscode.Uri.file(fixturePath('hello-js', 'app.js'));
    const run = await debugToBreakpoint(api, 'HelloJsFunction', file, "console.log('event received'", { fail: 'under the debugger' });
    try {
      await continueFromStop(run);
      assert.match(await consoleLine(run, /^Error \(ValidationError\): /), /refusing under the debugger/);
      await consoleLine(run, /^REPORT RequestId: /);
    } finally {
      run.dispose();
    }
  });

  test('F5 with no launch.json on a blueprint layout debugs the function of the open handler to its end', async function () {
    this.timeout(120_000);
    const api = await activateExtension();
    const folder = fixturePath('nested-blueprint');
    await writeFunctionProject(folder, 'NestedFunction', ['exports.handler = async (event) => {', '  const greeting = `Hello, ${event.name}!`;', '  return { greeting };', '};']);
    try {
      await waitFor('the nested template in the Lambda view', () => findFunctionNode(api, 'NestedFunction').catch(() => undefined));
      const file = vscode.Uri.file(path.join(folder, 'src', 'app.js'));
      await vscode.window.showTextDocument(file);
      // What F5 without a launch.json hands the provider once the Lambda Workbench debugger is chosen: no function.
      const f5 = () => vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], { type: 'lambda-workbench', request: 'launch', name: 'F5' });
      const run = await debugToBreakpoint(api, 'NestedFunction', file, 'const greeting', undefined, f5);
      try {
        assert.equal(run.stop.reason, 'breakpoint');
        await continueFromStop(run);
        // The function's saved event (nested-blueprint/events/event.json) is the one used.
        assert.match(await consoleLine(run, /^Response: /), /Hello, Nested!/);
        await consoleLine(run, /^REPORT RequestId: /);
      } finally {
        run.dispose();
      }
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.file(folder), { recursive: true });
    }
  });

  test('saving while paused at a breakpoint lets the invocation finish on the previous code; the next one runs the new', async function () {
    this.timeout(180_000);
    const api = await activateExtension();
    const folder = fixturePath('reload-while-paused');
    await writeFunctionProject(folder, 'ReloadFunction', ['exports.handler = async (event) => {', '  const greeting = `Hello, ${event.name}!`;', '  return { greeting };', '};']);
    try {
      await waitFor('the new template in the Lambda view', () => findFunctionNode(api, 'ReloadFunction').catch(() => undefined));
      const file = vscode.Uri.file(path.join(folder, 'src', 'app.js'));
      const run = await debugToBreakpoint(api, 'ReloadFunction', file, 'const greeting', { name: 'Paused' });
      try {
        // The user's edit and save, in the editor (the document shown there, as the stop at the breakpoint shows it).
        const editor = await vscode.window.showTextDocument(file);
        const document = editor.document;
        const hello = document.getText().indexOf('Hello');
        assert.ok(await editor.edit((builder) => builder.replace(new vscode.Range(document.positionAt(hello), document.positionAt(hello + 'Hello'.length)), 'Howdy')));
        assert.ok(await document.save());
        assert.match(await consoleLine(run, /^Reloaded ReloadFunction /), /applies to the next invocation \(the running invocation finishes on the previous code\)/);
        await continueFromStop(run);
        assert.match(await consoleLine(run, /^Response: /), /Hello, Paused!/);
        await consoleLine(run, /^REPORT RequestId: /);
        assert.ok(!run.output.some((line) => /Runtime API server .* was closed/.test(line)), run.output.join(''));
        // The next invocation (a new environment, a new child session) runs the saved code; no breakpoint stops it now.
        vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
        const session = started[started.length - 1];
        const next = (await session.customRequest('invoke', { event: { name: 'Next' } })) as { payload: string };
        assert.deepEqual(JSON.parse(next.payload), { greeting: 'Howdy, Next!' });
      } finally {
        run.dispose();
      }
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.file(folder), { recursive: true });
    }
  });

  test('Pause while the handler runs stops it in the handler, and Continue ends the invocation', async function () {
    this.timeout(180_000);
    const api = await activateExtension();
    const folder = fixturePath('pause-while-running');
    const spin = [
      'exports.handler = async () => {',
      "  console.log('spinning now');",
      '  const giveUp = Date.now() + 120000;',
      '  while (!globalThis.released && Date.now() < giveUp) {} // SPINNING',
      "  return { spun: globalThis.released === true };",
      '};',
    ];
    await writeFunctionProject(folder, 'SpinFunction', spin, ['Timeout: 300']);
    const stops: Stop[] = [];
    const output: string[] = [];
    const handlerSessions: vscode.DebugSession[] = [];
    const probed: vscode.DebugSession[] = [];
    const tracking = vscode.debug.registerDebugAdapterTrackerFactory('*', {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (message: { type?: string; event?: string; command?: string; body?: { threadId: number; reason: string; output?: string; threads?: unknown[] } }) => {
          // VS Code's model of the language debugger's threads: what Pause acts on.
          if (message.type === 'response' && message.command === 'threads' && session.type !== 'lambda-workbench' && (message.body?.threads?.length ?? 0) > 0) handlerSessions.push(session);
          if (message.type !== 'event' || !message.body) return;
          if (message.event === 'stopped') stops.push({ session, ...message.body });
          if (message.event === 'output' && session.type === 'lambda-workbench') output.push(message.body.output ?? '');
          if (message.event === 'output' && message.body.output === 'js-debug/nodeRuntime') probed.push(session);
        },
      }),
    });
    try {
      await waitFor('the new template in the Lambda view', () => findFunctionNode(api, 'SpinFunction').catch(() => undefined));
      assert.equal(await vscode.commands.executeCommand<boolean>('lambdaWorkbench.debugFunction', { functionName: 'SpinFunction', event: {} }), true);
      // The handler's own line, written right before it spins: START alone comes before the runtime has the invocation,
      // and a Pause then stops in the runtime's code, which the debugger steps out of ('step', not 'pause').
      await waitFor('the handler to run', () => output.join('').includes('spinning now') || undefined, 60_000);
      // The Call Stack view's Pause on the handler's session. It pauses a thread VS Code knows: until VS Code has asked the
      // language debugger for its threads, Pause does nothing (the toolbar's as well), so wait for their answer.
      const handlerSession = await waitFor('VS Code to list the handler\'s thread', () => handlerSessions[0], 30_000);
      // js-debug asks the new process what it is (a Runtime.evaluate, repeated until it answers, interrupting the spinning
      // handler) and reports it in a telemetry event; a Pause before that can stop in the evaluated expression instead.
      await waitFor('js-debug to have probed the process', () => probed[0], 30_000);
      await vscode.commands.executeCommand('workbench.action.debug.pause', undefined, { sessionId: handlerSession.id });
      const stop = await waitFor('the handler to pause', () => stops[0], 30_000);
      assert.equal(stop.reason, 'pause');
      // The frame names its file once js-debug has matched the running script to the file on disk (a sandbox path,
      // /var/task/app.js, mapped to the project's): until then its source has no path, so ask again until it has one.
      let frame = await topFrame(stop);
      await waitFor('the paused frame\'s file', async () => (frame = await topFrame(stop)).source?.path, 20_000)
        .catch(() => assert.fail(`the paused frame has no file: ${JSON.stringify(frame)}`));
      assert.ok(frame.source?.path?.endsWith(path.join('pause-while-running', 'src', 'app.js')), `paused in ${JSON.stringify(frame)}`);
      await stop.session.customRequest('evaluate', { expression: 'globalThis.released = true', context: 'repl' });
      await continueFromStop({ stop } as DebugRun);
      await waitFor('the response', () => output.join('').includes('Response: {"spun":true}') || undefined, 20_000).catch((error: Error) => assert.fail(`${error.message}\n${output.join('')}`));
      await waitFor('REPORT', () => /^REPORT RequestId: /m.test(output.join('')) || undefined, 20_000);
    } finally {
      tracking.dispose();
      await vscode.workspace.fs.delete(vscode.Uri.file(folder), { recursive: true });
    }
  });
});
