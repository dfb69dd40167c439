// Chooses a function of the workspace's templates: the obvious one when there is one, else the user's pick.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FunctionSpec } from '../../core/template/functionSpec';
import { resolveHandlerSource } from '../functions/handlerSource';
import type { FunctionCatalog } from '../services/functionCatalog';

/** The only function, or the only one whose handler is the active editor's file; else asks (that one listed first). */
export async function chooseFunction(catalog: FunctionCatalog, title: string): Promise<FunctionSpec | undefined> {
  await catalog.ready();
  const functions = catalog.functions();
  if (functions.length === 0) {
    void vscode.window.showWarningMessage('No Lambda functions in this workspace. Create one from a blueprint, or open a folder with a SAM template.');
    return undefined;
  }
  if (functions.length === 1) return functions[0];
  const editing = functionsOfActiveEditor(functions);
  if (editing.length === 1) return editing[0];

  const ordered = [...editing, ...functions.filter((spec) => !editing.includes(spec))];
  const picked = await vscode.window.showQuickPick(
    ordered.map((spec) => ({
      label: spec.functionName,
      description: [spec.runtime ?? 'image', spec.handler].filter(Boolean).join(' · '),
      detail: spec.templatePath ? vscode.workspace.asRelativePath(spec.templatePath) : undefined,
      spec,
    })),
    { title, placeHolder: 'Choose a function', matchOnDescription: true },
  );
  return picked?.spec;
}

/** The functions whose handler source is the file in the active editor. */
export function functionsOfActiveEditor(functions: FunctionSpec[]): FunctionSpec[] {
  const document = vscode.window.activeTextEditor?.document;
  if (document?.uri.scheme !== 'file') return [];
  const file = path.normalize(document.uri.fsPath);
  return functions.filter((spec) => {
    const source = resolveHandlerSource(spec);
    return source !== undefined && path.normalize(source.file) === file;
  });
}
