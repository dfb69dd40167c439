// Integration: a template Parameter without Default is asked for once (a quick pick of its AllowedValues, or the value
// given), remembered for the workspace, and forgotten by Clear Remembered Template Parameter Values.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { InvokeResult } from '../../src/core/service/invocation';
import { acceptPrompts, activateExtension, fixturePath, waitFor } from './helpers';
import type { WorkbenchApi } from '../../src/extension';
import type { LambdaNode } from '../../src/extension/tree/treeNodes';

const TEMPLATE = [
  "AWSTemplateFormatVersion: '2010-09-09'",
  'Transform: AWS::Serverless-2016-10-31',
  'Parameters:',
  '  Stage:',
  '    Type: String',
  '    Description: Deployment stage',
  '    AllowedValues: [dev, prod]',
  '  Greeting:',
  '    Type: String',
  '    Description: What the function says',
  'Resources:',
  '  ParameterizedFunction:',
  '    Type: AWS::Serverless::Function',
  '    Properties:',
  '      CodeUri: src/',
  '      Handler: app.handler',
  '      Runtime: nodejs20.x',
  '      Environment:',
  '        Variables:',
  '          STAGE: !Ref Stage',
  '          GREETING: !Ref Greeting',
  '',
].join('\n');

/** The template's node in the view, once its entry says `matches`. */
async function templateNode(api: WorkbenchApi, templatePath: string, matches: (node: Extract<LambdaNode, { kind: 'template' }>) => boolean): Promise<Extract<LambdaNode, { kind: 'template' }>> {
  return waitFor('the template to be listed as expected', async () => {
    const roots = (await api.tree.getChildren()) ?? [];
    return roots.find((node): node is Extract<LambdaNode, { kind: 'template' }> => node.kind === 'template' && node.entry.path === templatePath && matches(node));
  });
}

suite('Template parameters', () => {
  const folder = () => fixturePath('parameterized');
  const templatePath = () => path.join(folder(), 'template.yaml');

  suiteSetup(async () => {
    await activateExtension();
    await vscode.workspace.fs.writeFile(vscode.Uri.file(path.join(folder(), 'src', 'app.js')), Buffer.from(
      'exports.handler = async () => ({ stage: process.env.STAGE, greeting: process.env.GREETING });\n',
    ));
    await vscode.workspace.fs.writeFile(vscode.Uri.file(templatePath()), Buffer.from(TEMPLATE));
    await vscode.commands.executeCommand('lambdaWorkbench.refresh');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('lambdaWorkbench.clearTemplateParameters');
    await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
    rmSync(folder(), { recursive: true, force: true });
    await vscode.commands.executeCommand('lambdaWorkbench.refresh');
  });

  test('asks once for the parameters without Default, remembers them, and the function runs with them; Clear forgets them', async () => {
    const api = await activateExtension();
    // Not read without values: the template says which parameters need one (as the CLI's error does), with their descriptions.
    const unread = await templateNode(api, templatePath(), (node) => node.entry.functions.length === 0);
    assert.match(unread.entry.problems.join('\n'), /Parameters: \[Stage, Greeting\] must have values: they have no Default and no override\./);
    assert.deepEqual(unread.entry.missingParameters, [
      { name: 'Stage', description: 'Deployment stage', allowedValues: ['dev', 'prod'], type: 'String' },
      { name: 'Greeting', description: 'What the function says', type: 'String' },
    ]);

    // The user picks a stage from its AllowedValues (the first, dev); the greeting is given.
    const values = await acceptPrompts(vscode.commands.executeCommand<Record<string, string>>('lambdaWorkbench.setTemplateParameters', {
      templatePath: templatePath(),
      values: { Greeting: 'Hi there' },
    }));
    assert.deepEqual(values, { Stage: 'dev', Greeting: 'Hi there' });
    const read = await templateNode(api, templatePath(), (node) => node.entry.functions.length === 1);
    assert.deepEqual(read.entry.problems, []);
    const result = await vscode.commands.executeCommand<InvokeResult>('lambdaWorkbench.invokeFunction', { functionName: 'ParameterizedFunction', event: {} });
    assert.deepEqual(JSON.parse(Buffer.from(result.payload).toString('utf8')), { stage: 'dev', greeting: 'Hi there' });

    // Remembered: reading the templates again asks nothing.
    await vscode.commands.executeCommand('lambdaWorkbench.refresh');
    await templateNode(api, templatePath(), (node) => node.entry.functions.length === 1);

    assert.equal(await vscode.commands.executeCommand('lambdaWorkbench.clearTemplateParameters'), 2);
    await templateNode(api, templatePath(), (node) => node.entry.functions.length === 0 && node.entry.missingParameters?.length === 2);
  });
});
