// Registers every lambdaWorkbench.* command; a failure is shown to the user with its Lambda or Workbench error.
// Each command's module (and what it needs from the engine) loads when the command first runs, not at activation.
import * as vscode from 'vscode';
import type { LocalEndpoints } from '../endpoints/localEndpoints';
import type { GatewayEndpoint } from '../gateway/gatewayEndpoint';
import { describeError, reportError } from '../platform/errorReporting';
import type { CommandContext } from './commandContext';
import type { createAlias, deleteFunction, publishVersion, resetState, setReservedConcurrency, updateAlias } from './consoleCommands';
import type { debugFunction } from './debugFunction';
import type { copyFunctionUrl } from './functionUrlCommands';
import type { newEvent, openHandler, stopInstances } from './functionCommands';
import type { invokeFunction } from './invokeFunction';
import type { openPayloadEditorCommand } from './openPayloadEditor';
import type { packageFunction } from './packageFunction';
import type { openRouteInBrowser, sendRequestFromEditor } from './routeCommands';
import type { newApplicationFromTemplate, newFunctionFromBlueprint } from './scaffoldCommands';
import type { selectBackend } from './workbenchCommands';
import type { scanTable } from './dataCommands';
import type { QueueArgument } from './queueCommands';
import type { ParameterArguments } from './parameterCommands';
import type { saveAsTest } from './saveAsTest';
import type { TopicArgument } from './topicCommands';
import type { BusArgument } from './busCommands';
import type { ScheduleArgument } from './scheduleCommands';

const invokeCommands = () => import('./invokeFunction.js');
const debugCommands = () => import('./debugFunction.js');
const functionCommands = () => import('./functionCommands.js');
const endpointCommands = () => import('./endpointCommands.js');
const scaffoldCommands = () => import('./scaffoldCommands.js');
const payloadCommands = () => import('./openPayloadEditor.js');
const packageCommands = () => import('./packageFunction.js');
const workbenchCommands = () => import('./workbenchCommands.js');
const routeCommands = () => import('./routeCommands.js');
const consoleCommands = () => import('./consoleCommands.js');
const dataCommands = () => import('./dataCommands.js');
const functionUrlCommands = () => import('./functionUrlCommands.js');
const queueCommands = () => import('./queueCommands.js');
const parameterCommands = () => import('./parameterCommands.js');
const testCommands = () => import('./saveAsTest.js');
const topicCommands = () => import('./topicCommands.js');
const busCommands = () => import('./busCommands.js');
const scheduleCommands = () => import('./scheduleCommands.js');

type Handler = (...args: never[]) => unknown;

type RouteArgument = Parameters<typeof openRouteInBrowser>[1];

export function registerCommands(ctx: CommandContext, endpoints: LocalEndpoints, gateway: GatewayEndpoint): vscode.Disposable {
  const commands: [id: string, action: string, handler: Handler][] = [
    ['invokeFunction', 'Invoke Function', async (arg?: Parameters<typeof invokeFunction>[1]) => (await invokeCommands()).invokeFunction(ctx, arg)],
    ['debugFunction', 'Debug Function', async (arg?: Parameters<typeof debugFunction>[1]) => (await debugCommands()).debugFunction(ctx, arg)],
    ['invokeFunctionWithEvent', 'Invoke Function',
      async (arg?: Parameters<typeof invokeFunction>[1]) => (await invokeCommands()).invokeFunction(ctx, arg, 'ask')],
    ['debugFunctionWithEvent', 'Debug Function', async (arg?: Parameters<typeof debugFunction>[1]) => (await debugCommands()).debugFunction(ctx, arg, 'ask')],
    ['newFunctionFromBlueprint', 'New Function from Blueprint',
      async (arg?: Parameters<typeof newFunctionFromBlueprint>[1]) => (await scaffoldCommands()).newFunctionFromBlueprint(ctx, arg)],
    ['newApplicationFromTemplate', 'New Application from Template',
      async (arg?: Parameters<typeof newApplicationFromTemplate>[1]) => (await scaffoldCommands()).newApplicationFromTemplate(ctx, arg)],
    ['openPayloadEditor', 'Open Event Payload Editor',
      async (arg?: Parameters<typeof openPayloadEditorCommand>[1]) => (await payloadCommands()).openPayloadEditorCommand(ctx, arg)],
    ['startLocalEndpoints', 'Start Local Endpoints', async (arg?: { port?: number }) => (await endpointCommands()).startLocalEndpoints(ctx, endpoints, arg)],
    ['stopLocalEndpoints', 'Stop Local Endpoints', async () => (await endpointCommands()).stopLocalEndpoints(ctx, endpoints)],
    ['openRouteInBrowser', 'Open in Browser', async (arg?: RouteArgument) => (await routeCommands()).openRouteInBrowser(gateway, arg)],
    ['copyRouteUrl', 'Copy URL', async (arg?: RouteArgument) => (await routeCommands()).copyRouteUrl(gateway, arg)],
    ['editRouteRequest', 'Send Request...', async (arg?: RouteArgument) => (await routeCommands()).editRouteRequest(arg)],
    ['sendRequest', 'Send Request', async (arg?: Parameters<typeof sendRequestFromEditor>[2]) => (await routeCommands()).sendRequestFromEditor(ctx, gateway, arg)],
    ['stopAllInstances', 'Stop All Instances', async () => (await functionCommands()).stopAllInstances(ctx)],
    ['showLogs', 'Show Logs', async () => (await workbenchCommands()).showLogs(ctx)],
    ['selectBackend', 'Select Backend', async (arg?: Parameters<typeof selectBackend>[1]) => (await workbenchCommands()).selectBackend(ctx, arg)],
    ['refresh', 'Refresh', async () => (await workbenchCommands()).refresh(ctx)],
    ['openTemplate', 'Open a Template', async () => (await workbenchCommands()).openTemplate(ctx)],
    ['openHandler', 'Open Handler', async (arg?: Parameters<typeof openHandler>[1]) => (await functionCommands()).openHandler(ctx, arg)],
    ['newEvent', 'New Event', async (arg?: Parameters<typeof newEvent>[1]) => (await functionCommands()).newEvent(ctx, arg)],
    ['packageFunction', 'Package Function', async (arg?: Parameters<typeof packageFunction>[1]) => (await packageCommands()).packageFunction(ctx, arg)],
    ['scanTable', 'Scan Table', async (arg?: Parameters<typeof scanTable>[1]) => (await dataCommands()).scanTable(endpoints, arg)],
    ['stopInstances', 'Stop Instances', async (arg?: Parameters<typeof stopInstances>[1]) => (await functionCommands()).stopInstances(ctx, arg)],
    ['publishVersion', 'Publish Version', async (arg?: Parameters<typeof publishVersion>[1]) => (await consoleCommands()).publishVersion(ctx, arg)],
    ['createAlias', 'Create Alias', async (arg?: Parameters<typeof createAlias>[1]) => (await consoleCommands()).createAlias(ctx, arg)],
    ['updateAlias', 'Update Alias', async (arg?: Parameters<typeof updateAlias>[1]) => (await consoleCommands()).updateAlias(ctx, arg)],
    ['setReservedConcurrency', 'Set Reserved Concurrency',
      async (arg?: Parameters<typeof setReservedConcurrency>[1]) => (await consoleCommands()).setReservedConcurrency(ctx, arg)],
    ['copyFunctionUrl', 'Copy Function URL',
      async (arg?: Parameters<typeof copyFunctionUrl>[2]) => (await functionUrlCommands()).copyFunctionUrl(ctx, endpoints, arg)],
    ['resetState', 'Reset State', async (arg?: Parameters<typeof resetState>[2]) => (await consoleCommands()).resetState(ctx, endpoints, arg)],
    ['saveAsTest', 'Save as Test', async (uri?: vscode.Uri, name?: Parameters<typeof saveAsTest>[2]) => (await testCommands()).saveAsTest(ctx, uri, name)],
    ['deleteFunction', 'Delete Function', async (arg?: Parameters<typeof deleteFunction>[1]) => (await consoleCommands()).deleteFunction(ctx, arg)],
    ['sendMessage', 'Send Message', async (arg?: QueueArgument) => (await queueCommands()).sendMessage(ctx, arg)],
    ['peekMessages', 'Peek Messages', async (arg?: QueueArgument) => (await queueCommands()).peekMessages(ctx, arg)],
    ['receiveMessages', 'Receive Messages', async (arg?: QueueArgument) => (await queueCommands()).receiveMessages(ctx, arg)],
    ['purgeQueue', 'Purge Queue', async (arg?: QueueArgument) => (await queueCommands()).purgeQueue(ctx, arg)],
    ['redriveQueue', 'Redrive Messages', async (arg?: QueueArgument) => (await queueCommands()).redriveQueue(ctx, arg)],
    ['publishMessage', 'Publish', async (arg?: TopicArgument) => (await topicCommands()).publishMessage(ctx, arg)],
    ['putEvent', 'Put Event', async (arg?: BusArgument) => (await busCommands()).putEvent(ctx, arg)],
    ['runSchedule', 'Run Schedule Now', async (arg?: ScheduleArgument) => (await scheduleCommands()).runSchedule(ctx, arg)],
    ['setTemplateParameters', 'Enter Template Parameter Values', async (arg?: ParameterArguments) => (await parameterCommands()).setTemplateParameters(ctx, arg)],
    ['clearTemplateParameters', 'Clear Remembered Parameter Values', async () => (await parameterCommands()).clearTemplateParameters(ctx)],
  ];
  return vscode.Disposable.from(
    ...commands.map(([id, action, handler]) =>
      vscode.commands.registerCommand(`lambdaWorkbench.${id}`, async (...args: never[]) => {
        try {
          return await handler(...args);
        } catch (error) {
          ctx.logs.note(`${action} failed: ${describeError(error)}`);
          void reportError(action, error, ctx.logs);
          return undefined;
        }
      }),
    ),
  );
}
