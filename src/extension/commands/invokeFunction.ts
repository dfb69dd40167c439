// "Lambda: Invoke Function": function, then event, then the response in a read-only JSON editor and the logs in the channel.
import * as vscode from 'vscode';
import type { InvokeResult } from '../../core/service/invocation';
import type { FunctionSpec } from '../../core/template/functionSpec';
import { pickEvent, readEventFile, type EventChoice } from '../invoke/eventChoice';
import { isFunctionTarget } from '../tree/treeNodes';
import { requireTrust, resolveFunction, type CommandContext, type FunctionArgument } from './commandContext';

/** Arguments for callers that skip the quick picks (tests, CodeLens, other extensions). */
export interface InvokeFunctionArgs {
  functionName: string;
  /** A JSON file holding the event. */
  eventPath?: string;
  /** The event as a JSON value (used when no eventPath is given). */
  event?: unknown;
}

/** Resolves with the invocation's result, or undefined when the user cancelled a pick. */
export async function invokeFunction(ctx: CommandContext, arg?: FunctionArgument | InvokeFunctionArgs): Promise<InvokeResult | undefined> {
  if (!requireTrust('Invoking a function')) return undefined;
  const spec = await resolveFunction(ctx, arg, 'Invoke Function');
  if (!spec) return undefined;
  const event = await eventFor(spec, arg);
  if (!event) return undefined;

  const service = await ctx.host.get();
  ctx.logs.show();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `$(play) Invoking ${spec.functionName}` },
    () => service.invoke({ functionName: spec.functionName, payload: event.payload }),
  );
  await ctx.results.show(spec.functionName, result);
  if (result.functionError) {
    void vscode.window.showErrorMessage(`${spec.functionName} failed with ${describeFunctionError(result)}`);
  }
  return result;
}

async function eventFor(spec: FunctionSpec, arg: FunctionArgument | InvokeFunctionArgs): Promise<EventChoice | undefined> {
  if (isFunctionTarget(arg) && arg.kind === 'event') return readEventFile(arg.event.file);
  if (typeof arg === 'object' && !isFunctionTarget(arg)) {
    const args = arg as InvokeFunctionArgs;
    if (args.eventPath) return readEventFile(args.eventPath);
    if ('event' in args) return { kind: 'inline', payload: Buffer.from(JSON.stringify(args.event ?? {})) };
  }
  return pickEvent(spec);
}

/** "Runtime.ImportModuleError: Cannot find module 'app'", from the error payload Lambda returns. */
export function describeFunctionError(result: InvokeResult): string {
  const text = result.payload.toString('utf8');
  let message = text;
  let type = result.errorType;
  try {
    const body = JSON.parse(text) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof body.errorMessage === 'string') message = body.errorMessage;
    if (typeof body.errorType === 'string') type ??= body.errorType;
  } catch {
    // Not JSON (e.g. a plain timeout message): the raw text is the message.
  }
  return `${type ?? 'Unhandled'}: ${message}`;
}
