// "Lambda: Debug Function": starts a lambda-workbench debug session for a function and an event.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEBUG_TYPE, type LambdaLaunchArguments } from '../../shared/launchConfig';
import { pickEvent } from '../invoke/eventChoice';
import { isFunctionTarget } from '../tree/treeNodes';
import { requireTrust, resolveFunction, type CommandContext, type FunctionArgument } from './commandContext';
import type { InvokeFunctionArgs } from './invokeFunction';

/** Resolves true when the session started, false when it could not, undefined when the user cancelled a pick. */
export async function debugFunction(ctx: CommandContext, arg?: FunctionArgument | InvokeFunctionArgs): Promise<boolean | undefined> {
  if (!requireTrust('Debugging a function')) return undefined;
  const spec = await resolveFunction(ctx, arg, 'Debug Function');
  if (!spec) return undefined;

  const launch: LambdaLaunchArguments = { function: spec.functionName, ...(spec.templatePath ? { template: spec.templatePath } : {}) };
  if (isFunctionTarget(arg) && arg.kind === 'event') {
    launch.eventFile = arg.event.file;
  } else if (typeof arg === 'object' && !isFunctionTarget(arg) && ('eventPath' in arg || 'event' in arg)) {
    const args = arg as InvokeFunctionArgs;
    if (args.eventPath) launch.eventFile = args.eventPath;
    else launch.event = args.event ?? {};
  } else {
    const choice = await pickEvent(spec);
    if (!choice) return undefined;
    if (choice.kind === 'saved') launch.eventFile = choice.file;
    else launch.event = JSON.parse(choice.payload.toString('utf8'));
  }

  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(spec.templatePath ?? spec.codeDir));
  const configuration: vscode.DebugConfiguration = {
    type: DEBUG_TYPE,
    request: 'launch',
    name: `Debug ${spec.functionName}${launch.eventFile ? ` (${path.basename(launch.eventFile)})` : ''}`,
    ...launch,
  };
  return vscode.debug.startDebugging(folder, configuration);
}
