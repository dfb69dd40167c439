// Integration: "Debug Function" starts a lambda-workbench session whose child debugger stops at a breakpoint in the handler.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, fixturePath, logTail, waitFor } from './helpers';

interface StackTraceResponse {
  stackFrames: { name: string; line: number; source?: { path?: string } }[];
}

suite('Debug Function', () => {
  teardown(async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.debug.stopDebugging();
    await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
  });

  test('stops at a breakpoint in the JavaScript handler with the event', async function () {
    this.timeout(120_000);
    const api = await activateExtension();
    const file = vscode.Uri.file(fixturePath('hello-js', 'app.js'));
    const document = await vscode.workspace.openTextDocument(file);
    const line = [...Array(document.lineCount).keys()].find((i) => document.lineAt(i).text.includes("console.log('event received'"));
    assert.ok(line !== undefined);
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(file, new vscode.Position(line, 0)))]);

    const sessions: string[] = [];
    const output: string[] = [];
    const stops: { session: vscode.DebugSession; threadId: number; reason: string }[] = [];
    const tracking = vscode.Disposable.from(
      vscode.debug.onDidStartDebugSession((session) => sessions.push(`${session.type}:${session.name}`)),
      vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (message: { type?: string; event?: string; body?: { threadId: number; reason: string; output?: string } }) => {
            if (message.type === 'event' && message.event === 'stopped' && message.body) stops.push({ session, ...message.body });
            if (message.type === 'event' && message.event === 'output' && session.type === 'lambda-workbench') output.push(message.body?.output ?? '');
          },
        }),
      }),
    );
    const started = await vscode.commands.executeCommand<boolean>('lambdaWorkbench.debugFunction', {
      functionName: 'HelloJsFunction',
      event: { name: 'Debugger' },
    });
    assert.equal(started, true, await logTail(api));

    const stop = await waitFor('the debugger to stop in the handler', () => stops[0], 60_000).catch(async (error: Error) => {
      throw new Error(`${error.message}; sessions started: ${sessions.join(', ') || 'none'}\nDebug Console:\n${output.join('')}\n${await logTail(api)}`);
    });
    tracking.dispose();
    assert.equal(stop.reason, 'breakpoint');
    const trace = (await stop.session.customRequest('stackTrace', { threadId: stop.threadId, startFrame: 0, levels: 1 })) as StackTraceResponse;
    const top = trace.stackFrames[0];
    assert.equal(top.source?.path, file.fsPath);
    assert.equal(top.line, line + 1);
  });
});
