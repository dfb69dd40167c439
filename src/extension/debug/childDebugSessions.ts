// Extension host: answers the adapter's attach event by starting a js-debug (`node`) or `debugpy` child session.
import * as vscode from 'vscode';
import type { AttachTarget } from '../../adapter/attachTarget';
import { ATTACH_EVENT, INVOCATION_EVENT, type InvocationStartedBody } from '../../adapter/customMessages';
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

/** The lambda-workbench session above a child session (js-debug nests its own sessions one level deeper). */
export function lambdaAncestor(session: vscode.DebugSession): vscode.DebugSession | undefined {
  for (let parent = session.parentSession; parent; parent = parent.parentSession) {
    if (parent.type === DEBUG_TYPE) return parent;
  }
  return undefined;
}

/** The name the call stack shows for the language debugger's sessions: the function and its current request id. */
export function invocationSessionName(invocation: InvocationStartedBody): string {
  return `${invocation.functionName} (${invocation.requestId})`;
}

export function registerChildDebugSessions(): vscode.Disposable {
  /** The language debugger's sessions under each lambda-workbench session (js-debug's "Remote Process [0]" included). */
  const children = new Map<vscode.DebugSession, Set<vscode.DebugSession>>();
  const current = new Map<vscode.DebugSession, string>();
  return vscode.Disposable.from(
    vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
      if (event.session.type !== DEBUG_TYPE) return;
      if (event.event === ATTACH_EVENT) void attach(event.session, event.body as AttachTarget);
      if (event.event === INVOCATION_EVENT) {
        const name = invocationSessionName(event.body as InvocationStartedBody);
        current.set(event.session, name);
        for (const child of children.get(event.session) ?? []) child.name = name;
      }
    }),
    vscode.debug.onDidStartDebugSession((session) => {
      const owner = lambdaAncestor(session);
      if (!owner) return;
      children.set(owner, (children.get(owner) ?? new Set()).add(session));
      const name = current.get(owner);
      if (name) session.name = name;
    }),
    vscode.debug.onDidTerminateDebugSession((session) => {
      children.delete(session);
      current.delete(session);
      const owner = lambdaAncestor(session);
      if (owner) children.get(owner)?.delete(session);
    }),
  );
}
