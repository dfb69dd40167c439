// "Copy Function URL": the local address of a function URL config (the local endpoints start first when they are not running).
import * as vscode from 'vscode';
import { WorkbenchError } from '../../core/common/errors';
import type { LocalEndpoints } from '../endpoints/localEndpoints';
import { readSettings } from '../platform/settings';
import type { FunctionUrlNode } from '../tree/treeNodes';
import { requireTrust, type CommandContext } from './commandContext';

/** For callers that skip the pick (tests, other extensions): the function and the URL config's qualifier ($LATEST or an alias). */
export interface FunctionUrlArgs {
  functionName: string;
  qualifier?: string;
}

/** Copies the URL the config is served on locally and resolves with it; undefined when the pick was dismissed. */
export async function copyFunctionUrl(ctx: CommandContext, endpoints: LocalEndpoints, arg?: FunctionUrlNode | FunctionUrlArgs): Promise<string | undefined> {
  const target = arg && 'kind' in arg ? { functionName: arg.spec.functionName, qualifier: arg.config.qualifier } : arg ?? (await pickUrlConfig(ctx));
  if (!target) return undefined;
  if (!requireTrust('Serving a function URL')) return undefined;
  const qualifier = target.qualifier ?? '$LATEST';
  const store = await ctx.host.functionStore();
  const record = store.require(target.functionName);
  // The config exists (ResourceNotFoundException otherwise, as GetFunctionUrlConfig answers).
  store.getUrl(record.name, qualifier);
  const running = endpoints.current ?? (await endpoints.start(readSettings().endpointsPort));
  const served = running.functionUrls.find((endpoint) => endpoint.functionName === record.name && endpoint.qualifier === qualifier);
  if (!served) {
    throw new WorkbenchError('USAGE', `The function URL of ${record.name}${qualifier === '$LATEST' ? '' : `:${qualifier}`} is not served by the local endpoints.`, {
      hint: 'Stop and start the local endpoints to serve it again.',
    });
  }
  await vscode.env.clipboard.writeText(served.url);
  ctx.logs.note(`Function URL of ${record.name}${qualifier === '$LATEST' ? '' : `:${qualifier}`} (${served.invokeMode}): ${served.url}`);
  void vscode.window.showInformationMessage(`Copied ${served.url}`);
  return served.url;
}

async function pickUrlConfig(ctx: CommandContext): Promise<FunctionUrlArgs | undefined> {
  const store = await ctx.host.functionStore();
  const configs = store.list().flatMap((record) => [...record.urls.values()].map((config) => ({
    label: config.qualifier === '$LATEST' ? record.name : `${record.name}:${config.qualifier}`,
    description: config.authType,
    functionName: record.name,
    qualifier: config.qualifier,
  })));
  if (configs.length === 0) {
    void vscode.window.showInformationMessage('No function has a URL: add FunctionUrlConfig to a function in its template, or call CreateFunctionUrlConfig on the local endpoints.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(configs, { title: 'Copy Function URL', placeHolder: 'The function URL to copy' });
  return picked && { functionName: picked.functionName, qualifier: picked.qualifier };
}
