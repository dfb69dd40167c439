// How the Lambda view shows an API Gateway route of a function: method and path, the API, its authorizer.
import * as vscode from 'vscode';
import type { RouteNode } from './treeNodes';

export function routeItem(node: RouteNode): vscode.TreeItem {
  const { route } = node;
  const item = new vscode.TreeItem(route.path === '$default' ? '$default' : `${route.method} ${route.path}`);
  item.id = `route:${node.spec.functionName}:${route.api.id}:${route.method}:${route.path}`;
  item.description = [route.api.id, route.api.kind === 'REST' ? 'REST' : `HTTP ${route.payloadFormat}`, route.authorizer?.name, route.iamAuth ? 'AWS_IAM' : undefined].filter(Boolean).join(' · ');
  item.tooltip = `${route.api.kind === 'REST' ? 'REST API' : 'HTTP API'} ${route.api.id} (stage ${route.api.stageName})${route.authorizer ? `, authorizer ${route.authorizer.name}` : ''}${route.iamAuth ? ', AWS_IAM (SigV4)' : ''}${route.apiKeyRequired ? ', API key required' : ''}`;
  item.iconPath = new vscode.ThemeIcon('globe');
  item.contextValue = 'route';
  if (route.location?.file) {
    const line = Math.max((route.location.line ?? 1) - 1, 0);
    item.command = { command: 'vscode.open', title: 'Open Route', arguments: [vscode.Uri.file(route.location.file), { selection: new vscode.Range(line, 0, line, 0) }] };
  }
  return item;
}
