// What the command handlers share: the catalog, the engine host, the log channel and the result documents.
import * as vscode from 'vscode';
import { WorkbenchError } from '../../core/common/errors';
import type { FunctionSpec } from '../../core/template/functionSpec';
import type { LastEvents } from '../invoke/lastEvents';
import { chooseFunction } from '../invoke/chooseFunction';
import type { ResultDocuments } from '../invoke/resultDocuments';
import type { LogChannel } from '../logs/logChannel';
import type { FunctionCatalog } from '../services/functionCatalog';
import type { ServiceHost } from '../services/serviceHost';
import type { EventTestController } from '../testing/eventTestController';
import { isFunctionTarget, type FunctionTarget } from '../tree/treeNodes';

export interface CommandContext {
  catalog: FunctionCatalog;
  host: ServiceHost;
  logs: LogChannel;
  results: ResultDocuments;
  /** The event each function ran with last (workspace state). */
  lastEvents: LastEvents;
  /** Where packages and other generated files go. */
  stateDir: string;
  /** The Test Explorer's saved-event tests. */
  eventTests: EventTestController;
}

/** How callers name a function: a tree node, a name, or an object with `functionName` (CodeLens, tests, other extensions). */
export type FunctionArgument = FunctionTarget | string | { functionName: string } | undefined;

/** The function the argument names, else the obvious one, else the one the user picks; undefined when the pick was dismissed. */
export async function resolveFunction(ctx: CommandContext, arg: FunctionArgument, title: string): Promise<FunctionSpec | undefined> {
  if (isFunctionTarget(arg)) return arg.spec;
  const name = typeof arg === 'string' ? arg : arg?.functionName;
  if (name === undefined) return chooseFunction(ctx.catalog, title);
  await ctx.catalog.ready();
  const spec = ctx.catalog.find(name);
  if (!spec) {
    const known = ctx.catalog.functions().map((f) => f.functionName).join(', ') || '(none)';
    throw new WorkbenchError('FUNCTION_NOT_FOUND', `Function '${name}' is not declared in the workspace's templates.`, {
      hint: `Functions: ${known}.`,
    });
  }
  return spec;
}

/** Invoking, debugging and packaging run workspace code: refused in Restricted Mode. */
export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(`${action} runs code from this workspace, which is open in Restricted Mode.`, 'Manage Workspace Trust')
    .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}
