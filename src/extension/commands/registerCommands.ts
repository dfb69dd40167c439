// Registers every lambdaWorkbench.* command; a failure is shown to the user with its Lambda or Workbench error.
import * as vscode from 'vscode';
import type { LocalEndpoints } from '../endpoints/localEndpoints';
import { describeError, reportError } from '../platform/errorReporting';
import type { CommandContext } from './commandContext';
import { debugFunction } from './debugFunction';
import { startLocalEndpoints, stopLocalEndpoints } from './endpointCommands';
import { newEvent, openHandler, stopAllInstances, stopInstances } from './functionCommands';
import { invokeFunction } from './invokeFunction';
import { openPayloadEditorCommand } from './openPayloadEditor';
import { packageFunction } from './packageFunction';
import { newApplicationFromTemplate, newFunctionFromBlueprint } from './scaffoldCommands';
import { openTemplate, refresh, selectBackend, showLogs } from './workbenchCommands';

type Handler = (...args: never[]) => unknown;

export function registerCommands(ctx: CommandContext, endpoints: LocalEndpoints): vscode.Disposable {
  const commands: [id: string, action: string, handler: Handler][] = [
    ['invokeFunction', 'Invoke Function', (arg?: Parameters<typeof invokeFunction>[1]) => invokeFunction(ctx, arg)],
    ['debugFunction', 'Debug Function', (arg?: Parameters<typeof debugFunction>[1]) => debugFunction(ctx, arg)],
    ['newFunctionFromBlueprint', 'New Function from Blueprint', (arg?: Parameters<typeof newFunctionFromBlueprint>[1]) => newFunctionFromBlueprint(ctx, arg)],
    ['newApplicationFromTemplate', 'New Application from Template', (arg?: Parameters<typeof newApplicationFromTemplate>[1]) => newApplicationFromTemplate(ctx, arg)],
    ['openPayloadEditor', 'Open Event Payload Editor', (arg?: Parameters<typeof openPayloadEditorCommand>[1]) => openPayloadEditorCommand(ctx, arg)],
    ['startLocalEndpoints', 'Start Local Endpoints', (arg?: { port?: number }) => startLocalEndpoints(ctx, endpoints, arg)],
    ['stopLocalEndpoints', 'Stop Local Endpoints', () => stopLocalEndpoints(ctx, endpoints)],
    ['stopAllInstances', 'Stop All Instances', () => stopAllInstances(ctx)],
    ['showLogs', 'Show Logs', () => showLogs(ctx)],
    ['selectBackend', 'Select Backend', (arg?: Parameters<typeof selectBackend>[1]) => selectBackend(ctx, arg)],
    ['refresh', 'Refresh', () => refresh(ctx)],
    ['openTemplate', 'Open a Template', () => openTemplate(ctx)],
    ['openHandler', 'Open Handler', (arg?: Parameters<typeof openHandler>[1]) => openHandler(ctx, arg)],
    ['newEvent', 'New Event', (arg?: Parameters<typeof newEvent>[1]) => newEvent(ctx, arg)],
    ['packageFunction', 'Package Function', (arg?: Parameters<typeof packageFunction>[1]) => packageFunction(ctx, arg)],
    ['stopInstances', 'Stop Instances', (arg?: Parameters<typeof stopInstances>[1]) => stopInstances(ctx, arg)],
  ];
  return vscode.Disposable.from(
    ...commands.map(([id, action, handler]) =>
      vscode.commands.registerCommand(`lambdaWorkbench.${id}`, async (...args: never[]) => {
        try {
          return await handler(...args);
        } catch (error) {
          ctx.logs.note(`${action} failed: ${describeError(error)}`);
          void reportError(action, error);
          return undefined;
        }
      }),
    ),
  );
}
