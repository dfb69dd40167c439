// Extension host: answers the adapter's attach event by starting a js-debug (`node`) or `debugpy` child session.
import * as vscode from 'vscode';
import type { AttachTarget } from '../../adapter/attachTarget';
import { ATTACH_EVENT } from '../../adapter/customMessages';
import { DEBUG_TYPE } from '../../shared/launchConfig';

/** The child configuration for one instance; runtime bootstrap code is never stepped into. */
export function attachConfiguration(target: AttachTarget, name: string): vscode.DebugConfiguration {
  if (target.runtime === 'python') {
    return {
      type: 'debugpy',
      request: 'attach',
      name,
      connect: { host: target.host, port: target.port },
      pathMappings: [{ localRoot: target.localRoot, remoteRoot: target.remoteRoot }],
      justMyCode: true,
      rules: [{ path: '**/runtimes/python/**', include: false }],
    };
  }
  return {
    type: 'node',
    request: 'attach',
    name,
    address: target.host,
    port: target.port,
    localRoot: target.localRoot,
    remoteRoot: target.remoteRoot,
    outFiles: target.outFiles,
    sourceMaps: true,
    skipFiles: ['<node_internals>/**', '**/runtimes/node/**'],
    // Instances started for debugging wait for the debugger; let them run once breakpoints are set.
    continueOnAttach: true,
  };
}

async function attach(session: vscode.DebugSession, target: AttachTarget): Promise<void> {
  const started = await vscode.debug.startDebugging(session.workspaceFolder, attachConfiguration(target, `${session.name} (${target.instanceId})`), {
    parentSession: session,
    lifecycleManagedByParent: true,
    consoleMode: vscode.DebugConsoleMode.MergeWithParent,
    compact: true,
  });
  if (!started) {
    const extension = target.runtime === 'python' ? 'the Python Debugger extension (ms-python.debugpy)' : 'the JavaScript debugger';
    void vscode.window.showErrorMessage(`Lambda Workbench could not attach to ${target.instanceId} on 127.0.0.1:${target.port}. Check that ${extension} is enabled.`);
  }
}

export function registerChildDebugSessions(): vscode.Disposable {
  return vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
    if (event.session.type === DEBUG_TYPE && event.event === ATTACH_EVENT) {
      void attach(event.session, event.body as AttachTarget);
    }
  });
}
