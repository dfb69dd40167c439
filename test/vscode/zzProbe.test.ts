import * as vscode from 'vscode';
import { activateExtension, fixturePath } from './helpers';
suite('Probe', () => {
  test('probe output documents', async () => {
    await activateExtension();
    await vscode.commands.executeCommand('lambdaWorkbench.invokeFunction', { functionName: 'HelloJsFunction', eventPath: fixturePath('events', 'fail.json') });
    await vscode.commands.executeCommand('lambdaWorkbench.showLogs');
    await new Promise((r) => setTimeout(r, 2000));
    throw new Error(vscode.workspace.textDocuments.map((d) => `${d.uri.toString()} ${d.languageId}`).join('\n'));
  });
});
