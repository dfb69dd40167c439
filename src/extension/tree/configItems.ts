// Tree items of a function's configurations: provisioned concurrency (with its status), function URLs and event source mappings.
import * as vscode from 'vscode';
import type { FunctionUrlNode, MappingNode, ProvisionedNode } from './treeNodes';

const PROVISIONED_ICONS: Record<ProvisionedNode['config']['status'], string> = {
  IN_PROGRESS: 'loading~spin',
  READY: 'check',
  FAILED: 'error',
};

/** "provisioned concurrency live  READY · 2 of 2 available" */
export function provisionedItem(node: ProvisionedNode): vscode.TreeItem {
  const { config } = node;
  const item = new vscode.TreeItem(`provisioned concurrency ${config.qualifier}`);
  item.id = `provisioned:${node.spec.functionName}:${config.qualifier}`;
  item.description = [config.status, `${config.available} of ${config.requested} available`, config.statusReason].filter(Boolean).join(' · ');
  item.tooltip = `${node.spec.functionName}:${config.qualifier}: ${config.requested} provisioned environment(s) requested, ${config.allocated} allocated, ` +
    `Status ${config.status}${config.statusReason ? ` (${config.statusReason})` : ''}, last modified ${config.lastModified}`;
  item.iconPath = new vscode.ThemeIcon(PROVISIONED_ICONS[config.status]);
  item.contextValue = 'provisioned';
  return item;
}

/** "function URL live  http://127.0.0.1:PORT/ · NONE" */
export function functionUrlItem(node: FunctionUrlNode): vscode.TreeItem {
  const { config } = node;
  const item = new vscode.TreeItem(config.qualifier === '$LATEST' ? 'function URL' : `function URL ${config.qualifier}`);
  item.id = `functionUrl:${node.spec.functionName}:${config.qualifier}`;
  item.description = [node.url ?? 'served while the local endpoints run', config.authType, config.invokeMode === 'RESPONSE_STREAM' ? 'streaming' : undefined]
    .filter(Boolean)
    .join(' · ');
  item.tooltip = [
    `Function URL of ${node.spec.functionName}${config.qualifier === '$LATEST' ? '' : `:${config.qualifier}`}${config.fromTemplate ? ' (FunctionUrlConfig of the template)' : ''}`,
    node.url ? `Served on ${node.url}` : 'Start Local Endpoints (or Copy Function URL) to serve it',
    `AuthType ${config.authType}${config.authType === 'AWS_IAM' ? ': requests need a SigV4 Authorization header' : ''}, InvokeMode ${config.invokeMode}`,
  ].join('\n');
  item.iconPath = new vscode.ThemeIcon('link');
  item.contextValue = 'functionUrl';
  return item;
}

/** "mapping orders-queue  Enabled · batch 10" */
export function mappingItem(node: MappingNode): vscode.TreeItem {
  const { entry } = node;
  const { mapping } = entry;
  const source = mapping.kind === 'sqs' ? mapping.queueArn : mapping.streamArn;
  const item = new vscode.TreeItem(`${mapping.kind === 'sqs' ? 'queue' : `${mapping.kind} stream`} ${sourceName(source)}`);
  item.id = `mapping:${entry.uuid}`;
  const qualifier = mapping.functionName.includes(':') ? mapping.functionName.slice(mapping.functionName.indexOf(':') + 1) : undefined;
  item.description = [entry.state, `batch ${mapping.batchSize}`, qualifier ? `-> ${qualifier}` : undefined].filter(Boolean).join(' · ');
  item.tooltip = `Event source mapping ${entry.uuid} (${entry.origin === 'template' ? 'declared in the template' : 'made through the Lambda API'})\n` +
    `${source} -> ${mapping.functionName}\nState ${entry.state}, BatchSize ${mapping.batchSize}, MaximumBatchingWindowInSeconds ${mapping.batchingWindowSeconds}`;
  item.iconPath = new vscode.ThemeIcon(entry.state === 'Enabled' ? 'inbox' : entry.state === 'Disabled' ? 'circle-slash' : 'loading~spin');
  item.contextValue = `mapping.${entry.state.toLowerCase()}`;
  return item;
}

/** The queue or stream name of an ARN (arn:aws:sqs:region:account:NAME, arn:aws:kinesis:...:stream/NAME, a table's stream). */
function sourceName(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const table = /^table\/([^/]+)\/stream\//.exec(resource);
  if (table) return table[1] ?? resource;
  return resource.replace(/^stream\//, '');
}
