// Tree items of a function's published versions and aliases (with their routing weights).
import * as vscode from 'vscode';
import type { AliasRecord } from '../../core/functions/functionRecords';
import type { AliasNode, VersionNode } from './treeNodes';

export function versionItem(node: VersionNode): vscode.TreeItem {
  const { version } = node;
  const item = new vscode.TreeItem(`version ${version.version}`);
  item.id = `version:${node.spec.functionName}:${version.version}`;
  item.description = [version.description, version.lastModified.slice(0, 19).replace('T', ' ')].filter(Boolean).join(' · ');
  item.tooltip = `${node.spec.functionName}:${version.version}, CodeSha256 ${version.codeSha256}, published ${version.lastModified}`;
  item.iconPath = new vscode.ThemeIcon('tag');
  item.contextValue = 'version';
  return item;
}

/** Where an alias sends invocations: "-> 2, 10% to 3". */
export function describeRouting(alias: AliasRecord): string {
  return [`-> ${alias.functionVersion}`, ...routedShares(alias)].join(', ');
}

function routedShares(alias: AliasRecord): string[] {
  return Object.entries(alias.additionalVersionWeights ?? {}).map(([version, weight]) => `${Math.round(weight * 10000) / 100}% to ${version}`);
}

/** "alias live  -> 2, 10% to 3" */
export function aliasItem(node: AliasNode): vscode.TreeItem {
  const { alias } = node;
  const item = new vscode.TreeItem(`alias ${alias.name}`);
  item.id = `alias:${node.spec.functionName}:${alias.name}`;
  item.description = describeRouting(alias);
  item.tooltip = [`${node.spec.functionName}:${alias.name} points at version ${alias.functionVersion}`, ...routedShares(alias), alias.description].filter(Boolean).join('\n');
  item.iconPath = new vscode.ThemeIcon('references');
  item.contextValue = 'alias';
  return item;
}
