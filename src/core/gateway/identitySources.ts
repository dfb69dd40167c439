// Reads an authorizer's identity sources ($request.header.X, $request.querystring.X, $stageVariables.X, $context.X) from a request.
import { headerValue, queryPairs, type GatewayRequest } from './gatewayRequest';
import type { GatewayRoute } from './gatewayModel';

/** The values of every identity source, or undefined when one of them is missing (API Gateway then answers 401). */
export function identityValues(sources: readonly string[], request: GatewayRequest, route: GatewayRoute): string[] | undefined {
  const values: string[] = [];
  for (const source of sources) {
    const value = identityValue(source, request, route);
    if (value === undefined || value === '') return undefined;
    values.push(value);
  }
  return values;
}

function identityValue(source: string, request: GatewayRequest, route: GatewayRoute): string | undefined {
  const [, kind, name] = /^\$(request\.header|request\.querystring|stageVariables|context)\.(.+)$/.exec(source) ?? [];
  if (!kind || !name) return undefined;
  switch (kind) {
    case 'request.header':
      return headerValue(request, name);
    case 'request.querystring':
      return queryPairs(request.rawQueryString).filter(([key]) => key === name).map(([, value]) => value).pop();
    case 'stageVariables':
      return route.api.stageVariables[name];
    default:
      return name === 'requestId' ? request.requestId : name === 'httpMethod' ? request.method : name === 'stage' ? route.api.stageName : undefined;
  }
}
