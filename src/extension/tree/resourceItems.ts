// Tree items of the Lambda view's Resources section: its own, and the templates' DynamoDB tables (item counts, Scan) and S3 buckets with their objects.
import * as vscode from 'vscode';
import { plural } from './resources/resourceSection';
import type { BucketNode, ObjectNode, ResourcesNode, TableNode } from './treeNodes';

const NOT_RUNNING = 'start local endpoints to see the items';

export function resourcesItem(node: ResourcesNode): vscode.TreeItem {
  const item = new vscode.TreeItem('Resources', vscode.TreeItemCollapsibleState.Expanded);
  item.id = 'resources';
  item.description = [plural(node.tables.length, 'table'), plural(node.buckets.length, 'bucket'), ...node.counts.map(({ noun, count }) => plural(count, noun))]
    .filter((part) => !part.startsWith('0 '))
    .join(', ');
  item.tooltip = 'The local resources: SQS queues, SNS topics, EventBridge buses, schedules and asynchronous invocations of the workspace\'s service; DynamoDB tables and S3 buckets of the templates, served by Start Local Endpoints';
  item.iconPath = new vscode.ThemeIcon('server');
  item.contextValue = 'resources';
  return item;
}

export function tableItem(node: TableNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.table.name);
  item.id = `table:${node.table.name}`;
  item.description = node.itemCount === undefined ? NOT_RUNNING : plural(node.itemCount, 'item');
  item.tooltip = new vscode.MarkdownString([
    `**${node.table.name}** (${node.table.logicalId})`,
    '',
    `- Keys: ${keys(node.table.createTable)}`,
    ...(node.table.streamViewType ? [`- Stream: ${node.table.streamViewType}`] : []),
    `- ARN: \`${node.table.arn}\``,
  ].join('\n'));
  item.iconPath = new vscode.ThemeIcon('database');
  item.contextValue = 'table';
  if (node.itemCount !== undefined) item.command = { command: 'lambdaWorkbench.scanTable', title: 'Scan', arguments: [node] };
  return item;
}

export function bucketItem(node: BucketNode): vscode.TreeItem {
  const collapsible = node.objects?.list.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(node.bucket.name, collapsible);
  item.id = `bucket:${node.bucket.name}`;
  item.description = node.objects ? `${plural(node.objects.list.length, 'object')}${node.objects.truncated ? ' (first)' : ''}` : NOT_RUNNING;
  item.tooltip = `s3://${node.bucket.name} (${node.bucket.logicalId}), ${node.bucket.arn}`;
  item.iconPath = new vscode.ThemeIcon('archive');
  item.contextValue = 'bucket';
  return item;
}

export function objectItem(node: ObjectNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.object.key);
  item.id = `object:${node.bucket}/${node.object.key}`;
  item.description = `${node.object.size} bytes`;
  item.tooltip = `s3://${node.bucket}/${node.object.key}, ${node.object.size} bytes, modified ${node.object.lastModified}`;
  item.iconPath = new vscode.ThemeIcon('file');
  item.contextValue = 'object';
  return item;
}

function keys(createTable: Record<string, unknown>): string {
  const schema = Array.isArray(createTable.KeySchema) ? (createTable.KeySchema as { AttributeName?: unknown; KeyType?: unknown }[]) : [];
  return schema.map((key) => `${String(key.AttributeName)} (${String(key.KeyType)})`).join(', ');
}


