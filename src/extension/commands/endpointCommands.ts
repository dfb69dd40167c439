// "Start Local Endpoints" / "Stop Local Endpoints": the Invoke API, function URLs and API Gateway, shown with the AWS CLI line to use them.
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
  // The gateway lists each route with its URL in the channel when it starts (here, or on a route's first use).
  if (!args) {
    const urls = running.functionUrls.length > 0 ? `, ${running.functionUrls.length} function URL(s)` : '';
    const apis = running.apiGatewayUrl ? `, API Gateway on ${running.apiGatewayUrl}` : '';
    void vscode.window.showInformationMessage(`Lambda Invoke API on ${url}${urls}${apis}.`, 'Copy URL', 'Show Logs').then(async (choice) => {
      if (choice === 'Copy URL') await vscode.env.clipboard.writeText(url);
      if (choice === 'Show Logs') ctx.logs.show();
    });
  }
  return running;
}

export async function stopLocalEndpoints(ctx: CommandContext, endpoints: LocalEndpoints): Promise<void> {
  const running = endpoints.current;
  await endpoints.stop();
  if (running) ctx.logs.note(`Local endpoints stopped (Invoke API ${running.invokeApiUrl}${running.apiGatewayUrl ? `, API Gateway ${running.apiGatewayUrl}` : ''})`);
}
