// Shared helpers of the integration suite (runs inside the extension host).
import assert from 'node:assert/strict';
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

/** Waits for the channel to contain `text`, and returns the channel. */
export function logLine(api: WorkbenchApi, text: string, timeoutMs?: number): Promise<string> {
  return waitFor(`the log line "${text}"`, async () => {
    const log = await logChannelText(api);
    return log.includes(text) ? log : undefined;
  }, timeoutMs);
}

/** Accepts what the quick input shows (an input box's value, a quick pick's first item) until the command settles, as a user pressing Enter. */
export async function acceptPrompts<T>(command: Thenable<T>): Promise<T> {
  let settled = false;
  const running = Promise.resolve(command).finally(() => (settled = true));
  // Its failure is reported by the return below, once the prompts are answered.
  running.catch(() => undefined);
  await waitFor('the command to settle', async () => {
    if (settled) return true;
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    return undefined;
  });
  return running;
}

/** The labels of a tree node's children (root when no node), optionally only those of one kind. */
export async function childLabels(api: WorkbenchApi, node?: LambdaNode, kind?: LambdaNode['kind']): Promise<string[]> {
  const children = ((await api.tree.getChildren(node)) ?? []).filter((child) => kind === undefined || child.kind === kind);
  return Promise.all(children.map(async (child) => String((await api.tree.getTreeItem(child)).label)));
}

/** The function names the view lists under the fixture workspace's template.yaml, sorted; fails when that template is not listed. */
export async function fixtureTemplateFunctions(api: WorkbenchApi): Promise<string[]> {
  const roots = (await api.tree.getChildren()) ?? [];
  const labels = await Promise.all(roots.map(async (root) => String((await api.tree.getTreeItem(root)).label)));
  const fixture = roots[labels.indexOf('template.yaml')];
  assert.ok(fixture, `the fixture template is listed: ${labels.join(', ')}`);
  return (await childLabels(api, fixture, 'function')).sort();
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

/**
 * A blueprint's layout: the template (with more function `properties` lines, and more `resources` lines after the
 * function) in a folder of its own, the code (`handler`'s lines) under src/, events under events/; the view refreshed.
 */
export async function writeFunctionProject(folder: string, logicalId: string, handler: string[], properties: string[] = [], resources: string[] = []): Promise<void> {
  const write = (file: string, text: string) => vscode.workspace.fs.writeFile(vscode.Uri.file(path.join(folder, file)), Buffer.from(text));
  await write('src/app.js', [...handler, ''].join('\n'));
  await write('events/event.json', '{ "name": "Nested" }\n');
  await write(
    'template.yaml',
    [
      "AWSTemplateFormatVersion: '2010-09-09'",
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      `  ${logicalId}:`,
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      CodeUri: src/',
      '      Handler: app.handler',
      '      Runtime: nodejs20.x',
      ...properties.map((line) => `      ${line}`),
      ...resources.map((line) => `  ${line}`),
      '',
    ].join('\n'),
  );
  // As the blueprint wizard does once it wrote a project: files created with their folder can escape the file watcher.
  await vscode.commands.executeCommand('lambdaWorkbench.refresh');
}

/** Deletes a project folder written by a test and waits until its function left the view (the watcher can miss a folder's deletion). */
export async function removeFunctionProject(api: WorkbenchApi, folder: string, functionName: string): Promise<void> {
  await vscode.workspace.fs.delete(vscode.Uri.file(folder), { recursive: true });
  await vscode.commands.executeCommand('lambdaWorkbench.refresh');
  await waitFor(`${functionName} to leave the view`, () => findFunctionNode(api, functionName).then(() => undefined, () => true));
}
