// "Lambda: Invoke Function": function, then event, then the response in a read-only JSON editor and the logs in the channel.
import * as vscode from 'vscode';
import type { InvokeResult } from '../../core/service/invocation';
import { showFunctionError } from '../invoke/functionErrorNotice';
import { requireTrust, resolveFunction, type CommandContext } from './commandContext';
import { eventForRun, type EventMode, type RunArgument } from './runEvent';

/**
 * "Invoke Function" re-runs with the function's last event (asking the first time); "Invoke with Event..." always asks.
 * Resolves with the invocation's result, or undefined when the user cancelled a pick.
 */
export async function invokeFunction(ctx: CommandContext, arg?: RunArgument, mode: EventMode = 'rerun'): Promise<InvokeResult | undefined> {
  if (!requireTrust('Invoking a function')) return undefined;
  const spec = await resolveFunction(ctx, arg, 'Invoke Function');
  if (!spec) return undefined;
  const event = await eventForRun(ctx, spec, arg, mode, 'Invoke');
  if (!event) return undefined;

  const service = await ctx.host.get();
  ctx.logs.show();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `$(play) Invoking ${spec.functionName}` },
    () => service.invoke({ functionName: spec.functionName, payload: event.payload }),
  );
  await ctx.results.show({ functionName: spec.functionName, event: event.payload, response: result.payload, failed: result.functionError !== undefined });
  if (result.functionError) void showFunctionError(ctx.logs, spec, result);
  return result;
}
