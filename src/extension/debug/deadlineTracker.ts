// Extension host: stops the Lambda clock while a child debugger (js-debug or debugpy) holds the handler paused.
import * as vscode from 'vscode';
import { DEADLINE_REQUEST, type DeadlineArguments } from '../../adapter/customMessages';
import { lambdaAncestor } from './childDebugSessions';

/** Requests after which the debuggee runs again. */
const RESUMING_REQUESTS = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'goto', 'restartFrame']);

class DeadlineTrackerFactory implements vscode.DebugAdapterTrackerFactory {
  createDebugAdapterTracker(session: vscode.DebugSession): vscode.DebugAdapterTracker | undefined {
    const owner = lambdaAncestor(session);
    if (!owner) return undefined;
    const setPaused = (paused: boolean): void => {
      const args: DeadlineArguments = { paused };
      // The owner may already be gone (session ending); nothing to pause then.
      owner.customRequest(DEADLINE_REQUEST, args).then(undefined, () => undefined);
    };
    return {
      onDidSendMessage: (message: { type?: string; event?: string }) => {
        if (message.type === 'event' && message.event === 'stopped') setPaused(true);
        if (message.type === 'event' && message.event === 'continued') setPaused(false);
      },
      onWillReceiveMessage: (message: { type?: string; command?: string }) => {
        if (message.type === 'request' && message.command && RESUMING_REQUESTS.has(message.command)) setPaused(false);
      },
      // A debugger that goes away lets the handler run on, without a `continued` event: the clock must run again too.
      onWillStopSession: () => setPaused(false),
    };
  }
}

export function registerDeadlineTracker(): vscode.Disposable {
  const factory = new DeadlineTrackerFactory();
  return vscode.Disposable.from(
    vscode.debug.registerDebugAdapterTrackerFactory('pwa-node', factory),
    vscode.debug.registerDebugAdapterTrackerFactory('node', factory),
    vscode.debug.registerDebugAdapterTrackerFactory('debugpy', factory),
  );
}
