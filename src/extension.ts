// VS Code extension entry (extension host): composes the Lambda view, commands, logs, CodeLens, debugging and status bar.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { HandlerCodeLensProvider } from './extension/codelens/handlerCodeLens';
import type { CommandContext } from './extension/commands/commandContext';
import { registerCommands } from './extension/commands/registerCommands';
import { registerDebugging } from './extension/debug/registerDebugging';
import { TemplateDiagnostics } from './extension/diagnostics/templateDiagnostics';
import { TemplateQuickFixes } from './extension/diagnostics/templateQuickFixes';
import { EventTestController, type ReportedTest } from './extension/testing/eventTestController';
import { PayloadEditorProvider } from './extension/editors/payloadEditorProvider';
import { LocalEndpoints } from './extension/endpoints/localEndpoints';
import { ApiRoutes } from './extension/gateway/apiRoutes';
import { GatewayEndpoint } from './extension/gateway/gatewayEndpoint';
import { LastEvents } from './extension/invoke/lastEvents';
import { payloadEditorBridge } from './extension/invoke/payloadEditorBridge';
import { ResultDocuments } from './extension/invoke/resultDocuments';
import { LogChannel } from './extension/logs/logChannel';
import { StackTraceLinkProvider } from './extension/logs/stackTraceLinks';
import { DockerStatus } from './extension/platform/dockerStatus';
import { RerunStatusItem } from './extension/platform/rerunStatusItem';
import { WorkbenchStatusBar } from './extension/platform/statusBar';
import { createBackend } from './extension/services/backendFactory';
import { CodeChanges } from './extension/services/codeChanges';
import { FunctionCatalog } from './extension/services/functionCatalog';
import { noticeMissingParameters } from './extension/services/missingParameterNotice';
import { RememberedParameters } from './extension/services/rememberedParameters';
import { ServiceHost } from './extension/services/serviceHost';
import { FUNCTIONS_VIEW_ID, LambdaTreeProvider } from './extension/tree/lambdaTreeProvider';
import type { LambdaNode } from './extension/tree/treeNodes';

/** What activate() returns: read access for the integration tests and other extensions. */
export interface WorkbenchApi {
  tree: vscode.TreeDataProvider<LambdaNode>;
  /** Folder holding the log channel's file. */
  logUri: vscode.Uri;
  /** The Test Explorer's saved-event tests. */
  eventTests: vscode.TestController;
  /** Each saved-event test's result as the Test Explorer received it. */
  onDidReportTest: vscode.Event<ReportedTest>;
}

/** Releases what cannot be released synchronously (instances, servers); awaited by deactivate(). */
let shutdown: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): WorkbenchApi {
  const stateDir = path.join((context.storageUri ?? context.globalStorageUri).fsPath, 'state');
  const catalog = new FunctionCatalog(new RememberedParameters(context.workspaceState));
  const logs = new LogChannel();
  const host = new ServiceHost(catalog, stateDir, createBackend);
  const results = new ResultDocuments();
  const lastEvents = new LastEvents(context.workspaceState);
  const eventTests = new EventTestController(catalog, host, logs);
  const ctx: CommandContext = { catalog, host, logs, results, lastEvents, stateDir, eventTests };

  const routes = new ApiRoutes(catalog);
  const gateway = new GatewayEndpoint(routes, host, logs);
  const endpoints = new LocalEndpoints(catalog, host, gateway, stateDir, logs);
  const tree = new LambdaTreeProvider(catalog, host, routes, endpoints);
  const view = vscode.window.createTreeView(FUNCTIONS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const codeChanges = new CodeChanges(catalog, host, logs);
  const docker = new DockerStatus();
  const templateDiagnostics = new TemplateDiagnostics(catalog);

  context.subscriptions.push(
    catalog,
    logs,
    results,
    lastEvents,
    tree,
    view,
    tree.trackVisibility(view),
    codeChanges,
    docker,
    new WorkbenchStatusBar(host, docker),
    new RerunStatusItem(lastEvents),
    host.addLogSink(logs),
    catalog.onDidChange(() => tree.scheduleRefresh()),
    noticeMissingParameters(catalog),
    host.onDidChangeInstances(() => tree.scheduleRefresh()),
    host.onDidChangeControlPlane(() => tree.scheduleRefresh()),
    host.onDidChangeResources(() => tree.scheduleRefresh()),
    endpoints.onDidChange(() => tree.scheduleRefresh()),
    codeChanges.onDidChange(() => tree.scheduleRefresh()),
    routes,
    routes.onDidChange(() => tree.scheduleRefresh()),
    registerCommands(ctx, endpoints, gateway),
    HandlerCodeLensProvider.register(catalog),
    StackTraceLinkProvider.register(catalog),
    registerDebugging(catalog, host, results, logs),
    PayloadEditorProvider.register(context, payloadEditorBridge(ctx)),
    eventTests,
    templateDiagnostics,
    TemplateQuickFixes.register(templateDiagnostics),
  );
  shutdown = async () => {
    await endpoints.dispose();
    await gateway.dispose();
    await host.dispose();
  };

  // Background work, after activation: template discovery (the parser loads with the first template), then the
  // Docker ping (its client library loads then).
  void catalog.ready().then(() => docker.check());
  return { tree, logUri: context.logUri, eventTests: eventTests.controller, onDidReportTest: eventTests.onDidReport };
}

export async function deactivate(): Promise<void> {
  await shutdown?.();
  shutdown = undefined;
}
