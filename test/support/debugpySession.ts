// Test helper: what VS Code's Python debugger does after the attach event, done by hand with a DAP client: attach, one breakpoint, a stop.
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { AttachTarget } from '../../src/adapter/attachTarget';

export interface DebugpySession {
  client: DebugClient;
  capabilities: DebugProtocol.InitializeResponse['body'];
  /** The breakpoint as debugpy set it (verified once it binds to the code the instance runs). */
  breakpoint: DebugProtocol.Breakpoint | undefined;
}

/**
 * Attaches a DAP client to the debugpy of `target` with `attachArgs`, sets one breakpoint before configurationDone,
 * runs `use`, then disconnects without ending the instance.
 */
export async function withDebugpy(
  target: AttachTarget,
  breakpoint: { path: string; line: number },
  attachArgs: Record<string, unknown>,
  use: (session: DebugpySession) => Promise<void>,
): Promise<void> {
  const client = new DebugClient(process.execPath, '', 'debugpy');
  await client.start(target.port);
  try {
    const initialized = client.waitForEvent('initialized');
    const capabilities = (await client.initializeRequest()).body;
    const attachDone = client.attachRequest(attachArgs as DebugProtocol.AttachRequestArguments);
    await initialized;
    const set = await client.setBreakpointsRequest({ source: { path: breakpoint.path }, breakpoints: [{ line: breakpoint.line }] });
    await client.configurationDoneRequest();
    await attachDone;
    await use({ client, capabilities, breakpoint: set.body.breakpoints[0] });
  } finally {
    await client.disconnectRequest({ terminateDebuggee: false }).catch(() => undefined);
    await client.stop();
  }
}

/** Starts `invoke` and waits for the stop it causes: the stopped thread and its top frame, and the invocation itself. */
export async function stopIn<T>(
  client: DebugClient,
  invoke: () => Promise<T>,
): Promise<{ threadId: number; frame: DebugProtocol.StackFrame; invocation: Promise<T> }> {
  const stopped = client.waitForEvent('stopped');
  const invocation = invoke();
  const threadId = (await stopped).body.threadId as number;
  const frame = (await client.stackTraceRequest({ threadId })).body.stackFrames[0];
  return { threadId, frame, invocation };
}
