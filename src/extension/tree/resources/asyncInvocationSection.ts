// The Resources section's asynchronous invocations in flight: each Event invocation the service holds, its attempt, the
// time of its next one, and where its outcome goes.
import * as vscode from 'vscode';
import type { AsyncInvocationInfo } from '../../../core/service/asyncInvoker';
import type { LocalResourceNode, ResourceContext, ResourceSection } from './resourceSection';

export const ASYNC_INVOCATION_SECTION = 'asyncInvocation';

export interface AsyncInvocationNode extends LocalResourceNode {
  section: typeof ASYNC_INVOCATION_SECTION;
  invocation: AsyncInvocationInfo;
}

export const asyncInvocationSection: ResourceSection = {
  id: ASYNC_INVOCATION_SECTION,
  noun: 'async invocation',
  nodes: async ({ host }: ResourceContext) => (host.running?.asyncInvocations() ?? []).map((invocation): AsyncInvocationNode => ({
    kind: 'localResource', section: ASYNC_INVOCATION_SECTION, invocation, treeItem: () => asyncInvocationItem(invocation),
  })),
};

function asyncInvocationItem(invocation: AsyncInvocationInfo): vscode.TreeItem {
  const item = new vscode.TreeItem(`${invocation.functionName} (async)`);
  item.id = `async:${invocation.requestId}`;
  const when = invocation.state === 'running' ? 'running' : `waiting until ${new Date(invocation.dueAt ?? invocation.acceptedAt).toLocaleTimeString()}`;
  const targets = destinations(invocation);
  item.description = [`attempt ${invocation.attempt}`, when, ...targets].join(' · ');
  item.tooltip = new vscode.MarkdownString([
    `**${invocation.functionName}:${invocation.version}**, asynchronous invocation \`${invocation.requestId}\``,
    '',
    `- Accepted ${new Date(invocation.acceptedAt).toLocaleTimeString()}, attempt ${invocation.attempt}: ${when}`,
    ...(targets.length ? targets.map((target) => `- ${target}`) : ['- No destination or dead-letter queue']),
  ].join('\n'));
  item.iconPath = new vscode.ThemeIcon(invocation.state === 'running' ? 'sync~spin' : 'watch');
  item.contextValue = 'asyncInvocation';
  return item;
}

/** "OnSuccess -> arn...:queue" lines, with the resource's name for short. */
function destinations(invocation: AsyncInvocationInfo): string[] {
  const { onSuccess, onFailure, deadLetter } = invocation.destinations;
  const short = (arn: string) => `${arn.split(':')[2] ?? ''} ${arn.split(':').pop() ?? arn}`.trim();
  return [
    ...(onSuccess ? [`OnSuccess → ${short(onSuccess)}`] : []),
    ...(onFailure ? [`OnFailure → ${short(onFailure)}`] : []),
    ...(deadLetter ? [`dead-letter → ${short(deadLetter)}`] : []),
  ];
}
