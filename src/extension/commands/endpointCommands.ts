// "Start Local Endpoints" / "Stop Local Endpoints": the Invoke API and function URLs, shown with the AWS CLI line to use them.
import * as vscode from 'vscode';
import type { LocalEndpoints, RunningEndpoints } from '../endpoints/localEndpoints';
import { readSettings } from '../platform/settings';
import { requireTrust, type CommandContext } from './commandContext';

export async function startLocalEndpoints(ctx: CommandContext, endpoints: LocalEndpoints, args?: { port?: number }): Promise<RunningEndpoints | undefined> {
  if (!requireTrust('Starting local endpoints')) return undefined;
  const running = await endpoints.start(args?.port ?? readSettings().endpointsPort);
  const url = running.invokeApiUrl;
  const example = ctx.catalog.functions()[0]?.functionName ?? 'MyFunction';
  ctx.logs.note(`Invoke API listening on ${url}`);
  for (const spec of ctx.catalog.functions()) {
    ctx.logs.note(`  ${spec.functionName}: POST ${url}/2015-03-31/functions/${spec.functionName}/invocations`);
  }
  ctx.logs.note(`  e.g. aws lambda invoke --endpoint-url ${url} --function-name ${example} --payload '{}' --cli-binary-format raw-in-base64-out out.json`);
  for (const endpoint of running.functionUrls) {
    ctx.logs.note(`Function URL of ${endpoint.functionName} (${endpoint.invokeMode}): ${endpoint.url}`);
  }
  if (!args) {
    const urls = running.functionUrls.length > 0 ? ` and ${running.functionUrls.length} function URL(s)` : '';
    void vscode.window.showInformationMessage(`Lambda Invoke API on ${url}${urls}.`, 'Copy URL', 'Show Logs').then(async (choice) => {
      if (choice === 'Copy URL') await vscode.env.clipboard.writeText(url);
      if (choice === 'Show Logs') ctx.logs.show();
    });
  }
  return running;
}

export async function stopLocalEndpoints(ctx: CommandContext, endpoints: LocalEndpoints): Promise<void> {
  const running = endpoints.current;
  await endpoints.stop();
  if (running) ctx.logs.note(`Local endpoints stopped (Invoke API ${running.invokeApiUrl})`);
}
