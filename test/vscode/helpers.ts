// Shared helpers of the integration suite (runs inside the extension host).
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import * as vscode from 'vscode';
import type { WorkbenchApi } from '../../src/extension';
import type { LambdaNode } from '../../src/extension/tree/treeNodes';

export const EXTENSION_ID = 'lambda-workbench.lambda-workbench';

export async function activateExtension(): Promise<WorkbenchApi> {
  const extension = vscode.extensions.getExtension<WorkbenchApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  return extension.activate();
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('The suite needs the fixture workspace open');
  return folder.uri.fsPath;
}

export function fixturePath(...segments: string[]): string {
  return path.join(workspaceRoot(), ...segments);
}

/** Polls until `probe` returns a value other than undefined; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await delay(100);
  }
}

/** The log channel's content, from the file the extension host writes it to. */
export async function logChannelText(api: WorkbenchApi): Promise<string> {
  try {
    return await readFile(path.join(api.logUri.fsPath, 'Lambda Workbench.log'), 'utf8');
  } catch {
    return ''; // Not written yet.
  }
}

/** The labels of a tree node's children (root when no node), optionally only those of one kind. */
export async function childLabels(api: WorkbenchApi, node?: LambdaNode, kind?: LambdaNode['kind']): Promise<string[]> {
  const children = ((await api.tree.getChildren(node)) ?? []).filter((child) => kind === undefined || child.kind === kind);
  return Promise.all(children.map(async (child) => String((await api.tree.getTreeItem(child)).label)));
}

export async function findFunctionNode(api: WorkbenchApi, functionName: string): Promise<LambdaNode> {
  for (const template of (await api.tree.getChildren()) ?? []) {
    for (const child of (await api.tree.getChildren(template)) ?? []) {
      if (child.kind === 'function' && child.spec.functionName === functionName) return child;
    }
  }
  throw new Error(`${functionName} is not in the Lambda view`);
}

/** The channel's last lines, to explain a failed assertion. */
export async function logTail(api: WorkbenchApi, lines = 15): Promise<string> {
  return (await logChannelText(api)).trimEnd().split('\n').slice(-lines).join('\n');
}
