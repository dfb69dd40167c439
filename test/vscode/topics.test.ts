// Integration: the Resources section's local SNS topics: Publish... on a topic a function subscribes to runs the function
// with SNS's event (its log line and REPORT follow).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as vscode from 'vscode';
import type { WorkbenchApi } from '../../src/extension';
import type { LambdaNode } from '../../src/extension/tree/treeNodes';
import { acceptPrompts, activateExtension, fixturePath, logLine, waitFor, writeFunctionProject } from './helpers';

const HANDLER = [
  'exports.handler = async (event) => {',
  '  for (const record of event.Records) console.log(`ALERT ${record.Sns.MessageId} ${record.Sns.Message}`);',
  '};',
];

/** The topic's node and drawn item in the Resources section. */
async function topic(api: WorkbenchApi, name: RegExp): Promise<{ node: LambdaNode; item: vscode.TreeItem }> {
  return waitFor('the topic to be listed', async () => {
    const section = ((await api.tree.getChildren()) ?? []).find((node) => node.kind === 'resources');
    for (const node of (section && (await api.tree.getChildren(section))) ?? []) {
      const item = await api.tree.getTreeItem(node);
      if (item.contextValue === 'topic' && name.test(String(item.label))) return { node, item };
    }
    return undefined;
  });
}

suite('Local topics', () => {
  const folder = () => fixturePath('topic-app');

  suiteSetup(async () => {
    await activateExtension();
    await writeFunctionProject(folder(), 'AlertHandler', HANDLER, [
      'Events:',
      '  Alerts:',
      '    Type: SNS',
      '    Properties:',
      '      Topic: !Ref AlertsTopic',
    ], ['AlertsTopic:', '  Type: AWS::SNS::Topic']);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
    rmSync(folder(), { recursive: true, force: true });
    await vscode.commands.executeCommand('lambdaWorkbench.refresh');
  });

  test('Publish... on a topic: the subscribed function runs with the message', async () => {
    const api = await activateExtension();
    const listed = await topic(api, /AlertsTopic/);
    // The user runs Publish... on the topic and accepts the message offered.
    const published = await acceptPrompts(vscode.commands.executeCommand<{ messageId: string }>('lambdaWorkbench.publishMessage', listed.node));
    assert.ok(published?.messageId, 'the message was published');
    await logLine(api, `ALERT ${published.messageId} {"hello": "world"}`, 60_000);
    await waitFor('the function\'s REPORT', async () => {
      const after = (await logLine(api, `ALERT ${published.messageId}`)).split(`ALERT ${published.messageId}`)[1] ?? '';
      return /\[AlertHandler\] REPORT RequestId: /.test(after) ? true : undefined;
    }, 60_000);
    // Once the service runs, the topic shows its subscription.
    const running = await topic(api, /AlertsTopic/);
    assert.equal(running.item.description, '1 subscription');
  });
});
