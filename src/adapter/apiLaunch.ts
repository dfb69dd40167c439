// `"api"` launch arguments: the event of a debug session built from an HTTP request to the function's API route (adapter side).
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { WorkbenchError } from '../core/common/errors';
import { checkRouteRequest, parseRouteRequest, routeRequestEvent, type RouteRequest } from '../core/gateway/routeRequest';
import { FunctionRegistry } from '../core/service/functionRegistry';
import type { LambdaLaunchArguments } from '../shared/launchConfig';

/** The payload for `api` launch arguments, or undefined when the launch has none. Errors: USAGE, EVENT_INVALID. */
export async function readApiPayload(args: LambdaLaunchArguments): Promise<Buffer | undefined> {
  const { api } = args;
  if (api === undefined) return undefined;
  if (args.event !== undefined || args.eventFile !== undefined) {
    throw new WorkbenchError('USAGE', 'Launch configuration: `api` and `event` / `eventFile` are both set.', { hint: 'The event of an `api` launch is the one API Gateway sends; remove `event` and `eventFile`.' });
  }
  if (args.template === undefined || args.function === undefined) {
    throw new WorkbenchError('USAGE', 'Launch configuration: `api` needs `function` and `template` (the routes come from the template).', { hint: 'Set `template` and `function`.' });
  }
  const request = await apiRequest(api);
  const registry = await FunctionRegistry.fromTemplates([path.resolve(args.template)], undefined, args.projectRoot === undefined ? undefined : path.resolve(args.projectRoot));
  const { route, payload } = await routeRequestEvent(registry, request);
  const target = registry.get(args.function);
  if (!target || target.logicalId !== route.functionId) {
    throw new WorkbenchError('USAGE', `Launch configuration: ${request.method} ${request.path} reaches ${route.functionId} (${route.method} ${route.path}), not ${args.function}.`, {
      hint: `Set \`function\` to ${route.functionId}, or send a request to one of ${args.function}'s routes.`,
    });
  }
  return payload;
}

async function apiRequest(api: NonNullable<LambdaLaunchArguments['api']>): Promise<RouteRequest> {
  if (api.request !== undefined && api.requestFile !== undefined) {
    throw new WorkbenchError('USAGE', 'Launch configuration: `api.request` and `api.requestFile` are both set.', { hint: 'Keep one of them.' });
  }
  if (api.requestFile !== undefined) {
    const file = path.resolve(api.requestFile);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new WorkbenchError('EVENT_INVALID', `The request file ${file} cannot be read.`, { hint: 'Check `api.requestFile`.', cause: error });
    }
    return parseRouteRequest(text, file);
  }
  if (api.request === undefined) {
    throw new WorkbenchError('USAGE', 'Launch configuration: `api` needs `request` or `requestFile`.', { hint: 'For example "api": {"request": {"method": "GET", "path": "/orders/42"}}.' });
  }
  return checkRouteRequest(api.request, 'api.request');
}
