// Says once per template (and set of parameters) that parameters without Default need values, offering to enter them.
import * as vscode from 'vscode';
import type { FunctionCatalog } from './functionCatalog';

export function noticeMissingParameters(catalog: FunctionCatalog): vscode.Disposable {
  const told = new Set<string>();
  return catalog.onDidChange(() => {
    for (const entry of catalog.templates) {
      const names = entry.missingParameters?.map((parameter) => parameter.name) ?? [];
      const key = `${entry.path}\n${names.join(',')}`;
      if (!names.length || told.has(key)) continue;
      told.add(key);
      const which = names.length === 1 ? `Parameter ${names[0]} has` : `Parameters ${names.join(', ')} have`;
      void vscode.window
        .showWarningMessage(`${vscode.workspace.asRelativePath(entry.path)}: ${which} no Default: enter a value to run its functions (remembered for this workspace).`, 'Enter Values...')
        .then((choice) => choice && vscode.commands.executeCommand('lambdaWorkbench.setTemplateParameters', { templatePath: entry.path }));
    }
  });
}
