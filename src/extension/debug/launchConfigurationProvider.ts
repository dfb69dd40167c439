// Extension host: fills defaults into `lambda-workbench` launch configurations and makes their paths absolute.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/common/errors';
import { DEBUG_TYPE } from '../../shared/launchConfig';

/** Launch attributes holding file system paths, resolved against the workspace folder when relative. */
const PATH_ATTRIBUTES = ['template', 'codeDir', 'eventFile'] as const;

export class LaunchConfigurationProvider implements vscode.DebugConfigurationProvider {
  /** F5 without a launch.json: debug a function of the folder's template.yaml, asking which one when there are several. */
  async resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    if (config.type || config.request || config.name) return config;
    if (!folder) {
      void vscode.window.showErrorMessage('Lambda Workbench: open a folder with a template.yaml, or add a `lambda-workbench` launch configuration.');
      return undefined;
    }
    const template = path.join(folder.uri.fsPath, 'template.yaml');
    let names: string[];
    try {
      const { FunctionRegistry } = await import('../../core/service/functionRegistry.js');
      names = (await FunctionRegistry.fromTemplates([template])).list().map((spec) => spec.logicalId);
    } catch (error) {
      void vscode.window.showErrorMessage(`Lambda Workbench: ${errorMessage(error)}`);
      return undefined;
    }
    const functionName = names.length === 1 ? names[0] : await vscode.window.showQuickPick(names, { placeHolder: 'Function to debug' });
    if (functionName === undefined) return undefined;
    return { type: DEBUG_TYPE, request: 'launch', name: `Debug ${functionName}`, template, function: functionName, event: {} };
  }

  resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): vscode.DebugConfiguration {
    const base = folder?.uri.fsPath ?? path.dirname(vscode.window.activeTextEditor?.document.uri.fsPath ?? process.cwd());
    const resolved: vscode.DebugConfiguration = { ...config };
    for (const key of PATH_ATTRIBUTES) {
      if (typeof resolved[key] === 'string') resolved[key] = path.resolve(base, resolved[key]);
    }
    if (resolved.handler !== undefined && resolved.codeDir === undefined) resolved.codeDir = base;
    return resolved;
  }
}
