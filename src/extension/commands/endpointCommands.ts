// "Start Local Endpoints" / "Stop Local Endpoints": the Invoke API's URL shown, with the AWS CLI line to use it.
import * as vscode from 'vscode';
import type { LocalEndpoints } from '../endpoints/localEndpoints';
import { readSettings } from '../platform/settings';
import { requireTrust, type CommandContext } from './commandContext';

/** Resolves with the Invoke API's base URL. */
export async function startLocalEndpoints(ctx: CommandContext, endpoints: LocalEndpoints, args?: { port?: number }): Promise<string | undefined> {
  if (!requireTrust('Starting local endpoints')) return undefined;
  const api = await endpoints.start(args?.port ?? readSettings().endpointsPort);
  const example = ctx.catalog.functions()[0]?.functionName ?? 'MyFunction';
  ctx.logs.note(`Invoke API listening on ${api.url}`);
  for (const spec of ctx.catalog.functions()) {
    ctx.logs.note(`  ${spec.functionName}: POST ${api.url}/2015-03-31/functions/${spec.functionName}/invocations`);
  }
  ctx.logs.note(`  e.g. aws lambda invoke --endpoint-url ${api.url} --function-name ${example} --payload '{}' out.json`);
  if (!args) {
    void vscode.window.showInformationMessage(`Lambda Invoke API on ${api.url}`, 'Copy URL', 'Show Logs').then(async (choice) => {
      if (choice === 'Copy URL') await vscode.env.clipboard.writeText(api.url);
      if (choice === 'Show Logs') ctx.logs.show();
    });
  }
  return api.url;
}

export async function stopLocalEndpoints(ctx: CommandContext, endpoints: LocalEndpoints): Promise<void> {
  const url = endpoints.url;
  await endpoints.stop();
  if (url) ctx.logs.note(`Invoke API on ${url} stopped`);
}
