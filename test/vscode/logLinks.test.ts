// Integration: stack traces in the log channel are links to the handler source, at the failing line.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { InvokeResult } from '../../src/core/service/invocation';
import { activateExtension, fixturePath, logChannelText, waitFor } from './helpers';

suite('Log channel links', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
  });

  test('links the frames of a handler error to the workspace file and line', async () => {
    await activateExtension();
    await vscode.commands.executeCommand('lambdaWorkbench.invokeFunction', { functionName: 'HelloJsFunction', eventPath: fixturePath('events', 'fail.json') });
    await vscode.commands.executeCommand('lambdaWorkbench.showLogs');
    const handlerFile = vscode.Uri.file(fixturePath('hello-js', 'app.js'));
    const link = await waitFor('a link to the handler in the log channel', async () => {
      const channel = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && decodeURIComponent(d.uri.path).includes('Lambda Workbench'));
      if (!channel) return undefined;
      const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', channel.uri);
      // Ours are the links whose fragment is `L<line>,<column>` (VS Code's own output links use another form).
      return links.find((l) => l.target?.path === handlerFile.path && l.target.fragment.startsWith('L'));
    });
    const source = await vscode.workspace.openTextDocument(handlerFile);
    const throwLine = [...Array(source.lineCount).keys()].find((i) => source.lineAt(i).text.includes('throw new ValidationError'));
    assert.ok(throwLine !== undefined);
    assert.match(link.target?.fragment ?? '', new RegExp(`^L${throwLine + 1},\\d+$`));
  });

  test('shows an error record as its type and message, then one stack frame a line', async () => {
    const api = await activateExtension();
    const result = await vscode.commands.executeCommand<InvokeResult>('lambdaWorkbench.invokeFunction', { functionName: 'HelloJsFunction', eventPath: fixturePath('events', 'fail.json') });
    assert.ok(result?.functionError);
    const lines = await waitFor('the REPORT line', async () => {
      const text = await logChannelText(api);
      return text.includes(`REPORT RequestId: ${result.requestId}`) ? text.split('\n') : undefined;
    });
    const errorLine = lines.findIndex((line) => line.includes(`${result.requestId}\tERROR\tInvoke Error \t`));
    assert.ok(errorLine >= 0, lines.join('\n'));
    assert.match(lines[errorLine], /\[error\] \[HelloJsFunction\] .*\tInvoke Error \tValidationError: refusing this event$/);
    const frames = lines.slice(errorLine + 1).filter((line) => line.includes('[HelloJsFunction]     at '));
    assert.ok(frames.length > 0 && /app\.js:\d+:\d+/.test(frames[0]), lines.slice(errorLine, errorLine + 6).join('\n'));
    // This invocation's lines (earlier tests' debug results may print their error objects in the channel).
    const own = lines.slice(lines.findIndex((line) => line.includes(`START RequestId: ${result.requestId}`)), lines.findIndex((line) => line.includes(`REPORT RequestId: ${result.requestId}`)) + 1);
    assert.ok(own.length > 1 && !own.some((line) => line.includes('"errorType":"ValidationError"')), 'no JSON blob');
  });
});
