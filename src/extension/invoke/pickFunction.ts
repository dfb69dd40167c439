// Asks for a function of the workspace's templates.
import * as vscode from 'vscode';
import type { FunctionSpec } from '../../core/template/functionSpec';
import type { FunctionCatalog } from '../services/functionCatalog';

export async function pickFunction(catalog: FunctionCatalog, title: string): Promise<FunctionSpec | undefined> {
  await catalog.ready();
  const functions = catalog.functions();
  if (functions.length === 0) {
    void vscode.window.showWarningMessage('No Lambda functions in this workspace. Create one from a blueprint, or open a folder with a SAM template.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    functions.map((spec) => ({
      label: spec.functionName,
      description: [spec.runtime ?? 'image', spec.handler].filter(Boolean).join(' · '),
      detail: spec.templatePath ? vscode.workspace.asRelativePath(spec.templatePath) : undefined,
      spec,
    })),
    { title, placeHolder: 'Choose a function', matchOnDescription: true },
  );
  return picked?.spec;
}
