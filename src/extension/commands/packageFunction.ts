// "Package Function": the zip Lambda would receive for the function, written under the extension's state folder, with its size against Lambda's limits.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeDeploymentPackage, type DeploymentPackage } from '../../core/build/deploymentPackage';
import { formatBytes } from '../../core/build/packageLimits';
import { requireTrust, resolveFunction, type CommandContext, type FunctionArgument } from './commandContext';

export async function packageFunction(ctx: CommandContext, arg?: FunctionArgument): Promise<DeploymentPackage | undefined> {
  if (!requireTrust('Packaging a function')) return undefined;
  const spec = await resolveFunction(ctx, arg, 'Package Function');
  if (!spec) return undefined;
  const result = await writeDeploymentPackage(spec, { stateDir: ctx.stateDir, output: path.join(ctx.stateDir, 'packages', `${spec.functionName}.zip`) });
  const size = formatBytes(result.limits.zippedBytes);
  ctx.logs.note([`${spec.functionName} packaged: ${result.zipPath} (${result.fileCount} files, ${size})`, ...result.limits.lines].join('\n'));
  if (typeof arg !== 'object' || 'kind' in arg) {
    const summary = `${spec.functionName} packaged: ${result.fileCount} files, ${size}.`;
    const shown = result.limits.exceeded
      ? vscode.window.showWarningMessage(`${summary} It exceeds Lambda's package limits: see the Lambda Workbench output.`, 'Reveal')
      : vscode.window.showInformationMessage(summary, 'Reveal');
    void shown.then((choice) => choice && vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(result.zipPath)));
  }
  return result;
}
