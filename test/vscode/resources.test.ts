// Integration: the Lambda view's Resources section (the template's table and bucket), filled while the local endpoints serve them, and Scan Table.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { RunningEndpoints } from '../../src/extension/endpoints/localEndpoints';
import type { WorkbenchApi } from '../../src/extension';
import type { LambdaNode } from '../../src/extension/tree/treeNodes';
import { activateExtension, waitFor } from './helpers';

const CLIENT = { region: 'us-east-1', credentials: { accessKeyId: 'any', secretAccessKey: 'any' }, maxAttempts: 1 };

async function resourceChildren(api: WorkbenchApi): Promise<{ node: LambdaNode; label: string; description: string }[]> {
  const resources = ((await api.tree.getChildren()) ?? []).find((node) => node.kind === 'resources');
  assert.ok(resources, 'the Resources section is listed');
  // The tables and buckets (queues of other suites' projects may be listed beside them).
  const children = ((await api.tree.getChildren(resources)) ?? []).filter((node) => node.kind === 'table' || node.kind === 'bucket');
  return Promise.all(children.map(async (node) => {
    const item = await api.tree.getTreeItem(node);
    return { node, label: String(item.label), description: String(item.description) };
  }));
}

suite('Resources', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('lambdaWorkbench.stopLocalEndpoints');
  });

  test('lists the table and bucket; with the endpoints running, their items and objects, and Scan Table shows the items', async () => {
    const api = await activateExtension();
    const before = await resourceChildren(api);
    assert.deepEqual(before.map((child) => [child.node.kind, child.label, child.description]), [
      ['table', 'OrdersTable', 'start local endpoints to see the items'],
      ['bucket', 'uploadsbucket', 'start local endpoints to see the items'],
    ]);

    const running = await vscode.commands.executeCommand<RunningEndpoints>('lambdaWorkbench.startLocalEndpoints', { port: 0 });
    // The AWS SDK, with any credentials, against the endpoint the extension serves.
    const dynamoDb = new DynamoDBClient({ ...CLIENT, endpoint: running.invokeApiUrl });
    const s3 = new S3Client({ ...CLIENT, endpoint: running.invokeApiUrl });
    try {
      await dynamoDb.send(new PutItemCommand({ TableName: 'OrdersTable', Item: { orderId: { S: 'o-1' }, total: { N: '7' } } }));
      await s3.send(new PutObjectCommand({ Bucket: 'uploadsbucket', Key: 'incoming/receipt.txt', Body: 'paid' }));
    } finally {
      dynamoDb.destroy();
      s3.destroy();
    }

    const after = await waitFor('the item count', async () => {
      const children = await resourceChildren(api);
      return children[0]?.description === '1 item' ? children : undefined;
    });
    assert.equal(after[1]?.description, '1 object');
    const bucket = after[1]?.node;
    assert.ok(bucket);
    const objects = await Promise.all(((await api.tree.getChildren(bucket)) ?? []).map(async (node) => (await api.tree.getTreeItem(node)).label));
    assert.deepEqual(objects, ['incoming/receipt.txt']);

    const table = after[0]?.node;
    const tableItem = await api.tree.getTreeItem(table as LambdaNode);
    assert.equal(tableItem.command?.command, 'lambdaWorkbench.scanTable');
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('lambdaWorkbench.scanTable', ...(tableItem.command?.arguments ?? []));
    assert.equal(document.languageId, 'json');
    assert.deepEqual(JSON.parse(document.getText()), { Items: [{ orderId: { S: 'o-1' }, total: { N: '7' } }], Count: 1 });
  });
});
