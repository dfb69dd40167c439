// Debugging helpers of the integration suite: stop at a breakpoint, read the Debug Console, press Continue.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WorkbenchApi } from '../../src/extension';
import { logTail, waitFor } from './helpers';

export interface StackTraceResponse {
  stackFrames: { name: string; line: number; source?: { path?: string } }[];
}

export interface Stop {
  session: vscode.DebugSession;
  threadId: number;
  reason: string;
}

export interface DebugRun {
  line: number;
  stop: Stop;
  /** What the lambda-workbench session printed so far (its Debug Console output); keeps growing until dispose(). */
  output: string[];
  /** The `group` of every output event that had one. */
  groups: string[];
  stops: Stop[];
  dispose(): void;
}

/** The lambda-workbench sessions a suite started (recorded from its suiteSetup to its suiteTeardown). */
export interface SuiteSessions {
  started: vscode.DebugSession[];
  /** Stops every session started so far and forgets them (for the teardown); stopping one ends its child sessions. */
  stopAll(): Promise<void>;
}

/** Call inside a suite: records every lambda-workbench session its tests start. */
export function lambdaSessionsOfSuite(): SuiteSessions {
  const started: vscode.DebugSession[] = [];
  let watching: vscode.Disposable | undefined;
  suiteSetup(() => {
    watching = vscode.debug.onDidStartDebugSession((session) => {
      if (session.type === 'lambda-workbench') started.push(session);
    });
  });
  suiteTeardown(() => watching?.dispose());
  return {
    started,
    stopAll: async () => {
      await Promise.all(started.splice(0).map((session) => vscode.debug.stopDebugging(session)));
    },
  };
}

/** Sets a breakpoint on the first line containing `marker`, starts debugging (by default "Debug Function" on the function), and returns where it stopped. */
export async function debugToBreakpoint(
  api: WorkbenchApi,
  functionName: string,
  file: vscode.Uri,
  marker: string,
  event: unknown = { name: 'Debugger' },
  start: () => Thenable<boolean | undefined> = () => vscode.commands.executeCommand<boolean>('lambdaWorkbench.debugFunction', { functionName, event }),
): Promise<DebugRun> {
  const document = await vscode.workspace.openTextDocument(file);
  const line = [...Array(document.lineCount).keys()].find((i) => document.lineAt(i).text.includes(marker));
  assert.ok(line !== undefined, `${marker} is in ${file.fsPath}`);
  vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(file, new vscode.Position(line, 0)))]);

  const sessions: string[] = [];
  const output: string[] = [];
  const stops: Stop[] = [];
  const groups: string[] = [];
  const tracking = vscode.Disposable.from(
    vscode.debug.onDidStartDebugSession((session) => sessions.push(`${session.type}:${session.name}`)),
    vscode.debug.registerDebugAdapterTrackerFactory('*', {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (message: { type?: string; event?: string; body?: { threadId: number; reason: string; output?: string; group?: string } }) => {
          if (message.type !== 'event' || !message.body) return;
          if (message.event === 'stopped') stops.push({ session, ...message.body });
          if (message.event === 'output' && session.type === 'lambda-workbench') {
            output.push(message.body.output ?? '');
            if (message.body.group) groups.push(message.body.group);
          }
        },
      }),
    }),
  );
  try {
    assert.equal(await start(), true, await logTail(api));
    const stop = await waitFor('the debugger to stop in the handler', () => stops[0], 60_000).catch(async (error: Error) => {
      throw new Error(`${error.message}; sessions: ${sessions.join(', ') || 'none'}\nDebug Console:\n${output.join('')}\n${await logTail(api)}`);
    });
    return { line, stop, output, groups, stops, dispose: () => tracking.dispose() };
  } catch (error) {
    tracking.dispose();
    throw error;
  }
}

/** Waits for a line of the Debug Console matching `pattern`, a few seconds after Continue (the invocation must end). */
export async function consoleLine(run: DebugRun, pattern: RegExp): Promise<string> {
  return waitFor(`${pattern} in the Debug Console`, () => run.output.join('').split('\n').find((text) => pattern.test(text)), 20_000).catch((error: Error) => {
    throw new Error(`${error.message}\nDebug Console:\n${run.output.join('')}`);
  });
}

/** Presses Continue as the debug toolbar does, once VS Code has focused the stopped thread (the command acts on the focus). */
export async function continueFromStop(run: DebugRun): Promise<void> {
  await waitFor('VS Code to focus the stopped session', () => vscode.debug.activeStackItem?.session.id === run.stop.session.id || undefined, 20_000);
  await vscode.commands.executeCommand('workbench.action.debug.continue');
}

export async function topFrame(stop: Stop): Promise<StackTraceResponse['stackFrames'][number]> {
  const trace = (await stop.session.customRequest('stackTrace', { threadId: stop.threadId, startFrame: 0, levels: 1 })) as StackTraceResponse;
  return trace.stackFrames[0];
}

