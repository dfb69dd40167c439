// "Package Function": a deployment zip of the function's built code, written under the extension's state folder.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FunctionBuilder } from '../../core/build/functionBuilder';
import { zipDirectory, type ZipPackageResult } from '../../core/build/zipPackage';
import { requireTrust, resolveFunction, type CommandContext, type FunctionArgument } from './commandContext';

export async function packageFunction(ctx: CommandContext, arg?: FunctionArgument): Promise<ZipPackageResult | undefined> {
  if (!requireTrust('Packaging a function')) return undefined;
  const spec = await resolveFunction(ctx, arg, 'Package Function');
  if (!spec) return undefined;
  // A builder of its own: packaging never touches the running instances or their incremental builds.
  const builder = new FunctionBuilder(path.join(ctx.stateDir, 'packaging'));
  let result: ZipPackageResult;
  try {
    const build = await builder.build(spec);
    result = await zipDirectory(build.codeDir, path.join(ctx.stateDir, 'packages', `${spec.functionName}.zip`));
  } finally {
    await builder.dispose();
  }
  const size = `${(result.sizeBytes / 1024).toFixed(1)} KB`;
  ctx.logs.note(`${spec.functionName} packaged: ${result.zipPath} (${result.fileCount} files, ${size})`);
  if (typeof arg !== 'object' || 'kind' in arg) {
    void vscode.window.showInformationMessage(`${spec.functionName} packaged: ${result.fileCount} files, ${size}.`, 'Reveal').then(
      (choice) => choice && vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(result.zipPath)),
    );
  }
  return result;
}
