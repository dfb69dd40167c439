// View and window commands: Show Logs, Select Backend, Open a Template, Refresh.
import * as vscode from 'vscode';
import { BACKEND_CHOICES, type BackendChoice } from '../../shared/launchConfig';
import { readSettings, SETTINGS_SECTION } from '../platform/settings';
import { TEMPLATE_GLOB } from '../services/functionCatalog';
import type { CommandContext } from './commandContext';

const BACKEND_DETAILS: Record<BackendChoice, string> = {
  auto: 'Local processes, and containers for functions packaged as images',
  process: 'Local processes: nothing to install, the fastest start',
  container: 'AWS base images through the Docker engine',
};

export function showLogs(ctx: CommandContext): void {
  ctx.logs.show();
}

/** Sets lambdaWorkbench.backend (for the workspace when one is open); the engine restarts on the new backend. */
export async function selectBackend(_ctx: CommandContext, choice?: BackendChoice): Promise<BackendChoice | undefined> {
  const current = readSettings().backend;
  const backend =
    choice ??
    (
      await vscode.window.showQuickPick(
        BACKEND_CHOICES.map((backend) => ({ label: backend, description: backend === current ? '(current)' : '', detail: BACKEND_DETAILS[backend], backend })),
        { title: 'Select Backend', placeHolder: 'Where Lambda functions run' },
      )
    )?.backend;
  if (!backend) return undefined;
  const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('backend', backend, target);
  return backend;
}

/** Opens one of the workspace's templates, or lets the user pick a template file anywhere. */
export async function openTemplate(ctx: CommandContext): Promise<void> {
  await ctx.catalog.ready();
  const templates = ctx.catalog.templates.map((entry) => vscode.Uri.file(entry.path));
  let uri: vscode.Uri | undefined;
  if (templates.length === 1) {
    uri = templates[0];
  } else if (templates.length > 1) {
    uri = (await vscode.window.showQuickPick(templates.map((t) => ({ label: vscode.workspace.asRelativePath(t), uri: t })), { title: 'Open a Template' }))?.uri;
  } else {
    uri = (
      await vscode.window.showOpenDialog({
        title: `Open a SAM or CloudFormation template (${TEMPLATE_GLOB})`,
        filters: { Templates: ['yaml', 'yml', 'json'] },
        canSelectMany: false,
      })
    )?.[0];
  }
  if (uri) await vscode.window.showTextDocument(uri);
}

export async function refresh(ctx: CommandContext): Promise<void> {
  await ctx.catalog.reload();
}
