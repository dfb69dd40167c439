// "Lambda: Debug Function": starts a lambda-workbench debug session for a function and an event.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEBUG_TYPE, type LambdaLaunchArguments } from '../../shared/launchConfig';
import { requireTrust, resolveFunction, type CommandContext } from './commandContext';
import { eventForRun, type EventMode, type RunArgument } from './runEvent';

/**
 * "Debug Function" re-runs with the function's last event (asking the first time); "Debug with Event..." always asks.
 * Resolves true when the session started, false when it could not, undefined when the user cancelled a pick.
 */
export async function debugFunction(ctx: CommandContext, arg?: RunArgument, mode: EventMode = 'rerun'): Promise<boolean | undefined> {
  if (!requireTrust('Debugging a function')) return undefined;
  const spec = await resolveFunction(ctx, arg, 'Debug Function');
  if (!spec) return undefined;
  const choice = await eventForRun(ctx, spec, arg, mode, 'Debug');
  if (!choice) return undefined;

  const launch: LambdaLaunchArguments = { function: spec.functionName, ...(spec.templatePath ? { template: spec.templatePath } : {}) };
  if (choice.kind === 'saved') launch.eventFile = choice.file;
  else launch.event = JSON.parse(choice.payload.toString('utf8'));

  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(spec.templatePath ?? spec.codeDir));
  const configuration: vscode.DebugConfiguration = {
    type: DEBUG_TYPE,
    request: 'launch',
    name: `Debug ${spec.functionName}${launch.eventFile ? ` (${path.basename(launch.eventFile)})` : ''}`,
    ...launch,
  };
  return vscode.debug.startDebugging(folder, configuration);
}
