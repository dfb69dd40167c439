// "Lambda: Invoke Function": function (or one of its versions or aliases), then event, then the response in a read-only JSON
// editor and the logs in the channel.
import * as vscode from 'vscode';
import type { InvokeResult } from '../../core/service/invocation';
import { showFunctionError } from '../invoke/functionErrorNotice';
import { requireTrust, resolveFunction, type CommandContext } from './commandContext';
import { eventForRun, qualifierOf, type EventMode, type RunArgument } from './runEvent';

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

  const qualifier = qualifierOf(arg);
  const target = qualifier === undefined ? spec.functionName : `${spec.functionName}:${qualifier}`;
  const service = await ctx.host.get();
  ctx.logs.show();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `$(play) Invoking ${target}` },
    () => service.invoke({ functionName: spec.functionName, ...(qualifier !== undefined ? { qualifier } : {}), payload: event.payload }),
  );
  if (qualifier !== undefined) ctx.logs.note(`Invoked ${target}: version ${result.executedVersion} ran (RequestId ${result.requestId}).`);
  await ctx.results.show({
    functionName: spec.functionName,
    event: event.payload,
    response: result.payload,
    failed: result.functionError !== undefined,
    ...(qualifier !== undefined ? { qualifier } : {}),
  }, target);
  if (result.functionError) void showFunctionError(ctx.logs, spec, result);
  return result;
}
