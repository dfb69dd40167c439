// Route commands of the Lambda view: Open in Browser, Copy URL, Send Request... (a request editor) and sending it to the local API Gateway.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WorkbenchError } from '../../core/common/errors';
import type { GatewayEndpoint } from '../gateway/gatewayEndpoint';
import { initialRequest, parseRequest, requestFile, samplePath, sendRouteRequest, REQUEST_SUFFIX } from '../gateway/routeRequests';
import { RESULT_SCHEME } from '../invoke/resultDocuments';
import type { RouteNode } from '../tree/treeNodes';
import { requireTrust, type CommandContext } from './commandContext';

function requireRoute(node: RouteNode | undefined): RouteNode {
  if (node?.kind === 'route') return node;
  throw new WorkbenchError('USAGE', 'Pick a route under a function in the Lambda view.');
}

/** Opens the route in the default browser; a path with parameters is asked for first. */
export async function openRouteInBrowser(gateway: GatewayEndpoint, node?: RouteNode): Promise<string | undefined> {
  const { route } = requireRoute(node);
  if (!requireTrust('Opening an API route')) return undefined;
  const sample = samplePath(route);
  const pathToOpen = sample === route.path && route.path !== '$default'
    ? sample
    : await vscode.window.showInputBox({ title: `Open ${route.method} ${route.path}`, prompt: 'Path to open (replace the parameters)', value: sample, validateInput: (value) => (value.startsWith('/') ? undefined : 'The path starts with /') });
  if (pathToOpen === undefined) return undefined;
  const url = `${await gateway.url()}${pathToOpen}`;
  await vscode.env.openExternal(vscode.Uri.parse(url));
  return url;
}

/** Copies the route's URL on the local gateway (its path as the template writes it). */
export async function copyRouteUrl(gateway: GatewayEndpoint, node?: RouteNode): Promise<string | undefined> {
  const { route } = requireRoute(node);
  if (!requireTrust('Starting the local API Gateway')) return undefined;
  const url = `${await gateway.url()}${route.path === '$default' ? '/' : route.path}`;
  await vscode.env.clipboard.writeText(url);
  void vscode.window.showInformationMessage(`Copied ${url}`);
  return url;
}

/** Opens the route's request document (created with a first request when missing), saved beside the template. */
export async function editRouteRequest(node?: RouteNode): Promise<vscode.TextEditor> {
  const { spec, route } = requireRoute(node);
  const file = requestFile(spec, route);
  if (!existsSync(file)) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(initialRequest(route), null, 2)}\n`);
  }
  return vscode.window.showTextDocument(vscode.Uri.file(file));
}

/** Sends a request document (the active editor's by default) and shows the HTTP response beside it, with the logs. */
export async function sendRequestFromEditor(ctx: CommandContext, gateway: GatewayEndpoint, uri?: vscode.Uri): Promise<{ status: number; response: vscode.Uri } | undefined> {
  const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!document || !document.fileName.endsWith(REQUEST_SUFFIX)) {
    throw new WorkbenchError('USAGE', `Open a ${REQUEST_SUFFIX} file (Send Request... on a route in the Lambda view creates one).`);
  }
  if (!requireTrust('Sending a request')) return undefined;
  const request = parseRequest(document.getText(), document.fileName);
  const answer = await sendRouteRequest(await gateway.url(), request);
  ctx.logs.show();
  const response = vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${path.basename(document.fileName, REQUEST_SUFFIX)} response.http` });
  await ctx.results.showText(response, `${answer.text}\n`);
  return { status: answer.status, response };
}
