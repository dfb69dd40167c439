// Integration: "Debug Function" starts a lambda-workbench session whose child debugger stops at a breakpoint in the handler.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WorkbenchApi } from '../../src/extension';
import { activateExtension, fixturePath, logTail, waitFor } from './helpers';

interface StackTraceResponse {
  stackFrames: { name: string; line: number; source?: { path?: string } }[];
}

interface Stop {
  session: vscode.DebugSession;
  threadId: number;
  reason: string;
}

/** Sets a breakpoint on the first line containing `marker`, debugs the function, and returns where it stopped. */
async function debugToBreakpoint(api: WorkbenchApi, functionName: string, file: vscode.Uri, marker: string): Promise<{ line: number; stop: Stop }> {
  const document = await vscode.workspace.openTextDocument(file);
  const line = [...Array(document.lineCount).keys()].find((i) => document.lineAt(i).text.includes(marker));
  assert.ok(line !== undefined, `${marker} is in ${file.fsPath}`);
  vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(file, new vscode.Position(line, 0)))]);

  const sessions: string[] = [];
  const output: string[] = [];
  const stops: Stop[] = [];
  const tracking = vscode.Disposable.from(
    vscode.debug.onDidStartDebugSession((session) => sessions.push(`${session.type}:${session.name}`)),
    vscode.debug.registerDebugAdapterTrackerFactory('*', {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (message: { type?: string; event?: string; body?: { threadId: number; reason: string; output?: string } }) => {
          if (message.type !== 'event' || !message.body) return;
          if (message.event === 'stopped') stops.push({ session, ...message.body });
          if (message.event === 'output' && session.type === 'lambda-workbench') output.push(message.body.output ?? '');
        },
      }),
    }),
  );
  try {
    const started = await vscode.commands.executeCommand<boolean>('lambdaWorkbench.debugFunction', { functionName, event: { name: 'Debugger' } });
    assert.equal(started, true, await logTail(api));
    const stop = await waitFor('the debugger to stop in the handler', () => stops[0], 60_000).catch(async (error: Error) => {
      throw new Error(`${error.message}; sessions: ${sessions.join(', ') || 'none'}\nDebug Console:\n${output.join('')}\n${await logTail(api)}`);
    });
    return { line, stop };
  } finally {
    tracking.dispose();
  }
}

async function topFrame(stop: Stop): Promise<StackTraceResponse['stackFrames'][number]> {
  const trace = (await stop.session.customRequest('stackTrace', { threadId: stop.threadId, startFrame: 0, levels: 1 })) as StackTraceResponse;
  return trace.stackFrames[0];
}

/** Root sessions started by the tests: stopping one ends its child sessions with it. */
const rootSessions = new Set<vscode.DebugSession>();
vscode.debug.onDidStartDebugSession((session) => {
  if (session.parentSession === undefined) rootSessions.add(session);
});
vscode.debug.onDidTerminateDebugSession((session) => rootSessions.delete(session));

suite('Debug Function', () => {
  teardown(async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    // Stop the root sessions only: stopDebugging() of every session at once races a child's stop (which stops its parent)
    // against the parent's own terminate request, and VS Code then cancels that request ("Canceled").
    await Promise.all([...rootSessions].map((session) => vscode.debug.stopDebugging(session)));
    await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
  });

  test('stops at a breakpoint in the TypeScript handler source', async function () {
    this.timeout(120_000);
    const api = await activateExtension();
    const file = vscode.Uri.file(fixturePath('hello-ts', 'app.ts'));
    const { line, stop } = await debugToBreakpoint(api, 'HelloTsFunction', file, 'const name = event.name');
    assert.equal(stop.reason, 'breakpoint');
    const frame = await topFrame(stop);
    assert.ok(frame.source?.path?.endsWith(file.fsPath), `stopped in ${frame.source?.path}`);
    assert.equal(frame.line, line + 1);
  });

  test('stops at a breakpoint in the JavaScript handler', async function () {
    this.timeout(120_000);
    const api = await activateExtension();
    const file = vscode.Uri.file(fixturePath('hello-js', 'app.js'));
    const { line, stop } = await debugToBreakpoint(api, 'HelloJsFunction', file, "console.log('event received'");
    assert.equal(stop.reason, 'breakpoint');
    const frame = await topFrame(stop);
    assert.ok(frame.source?.path?.endsWith(file.fsPath), `stopped in ${frame.source?.path}`);
    assert.equal(frame.line, line + 1);
  });
});
