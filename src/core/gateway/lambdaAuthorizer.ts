// Lambda authorizers: REST TOKEN / REQUEST and HTTP API REQUEST (payload 1.0 or 2.0, simple or IAM responses), each one an invocation.
import type { InvokeRequest, InvokeResult } from '../service/invocation';
import { AuthorizerCache } from './authorizerCache';
import { apiId, type GatewayIdentity } from './gatewayContext';
import type { AuthorizerConfig, GatewayRoute } from './gatewayModel';
import type { GatewayRequest } from './gatewayRequest';
import { gatewayError, type GatewayResponse } from './gatewayResponse';
import { httpApiEvent } from './httpApiEvent';
import { identityValues } from './identitySources';
import { evaluatePolicy } from './policyEvaluation';
import { proxyEventV1 } from './proxyEventV1';
import type { RouteMatch } from './routeMatcher';

export type Invoke = (request: InvokeRequest) => Promise<InvokeResult>;

export type AuthorizationOutcome = { allowed: true; authorizer?: unknown } | { allowed: false; response: GatewayResponse };

type LambdaAuthorizer = Extract<AuthorizerConfig, { type: 'REQUEST' | 'TOKEN' }>;

/** arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/METHOD/path (the request's path, without the leading slash). */
function methodArn(request: GatewayRequest, match: RouteMatch, identity: GatewayIdentity): string {
  const { api } = match.route;
  return `arn:aws:execute-api:${identity.region}:${identity.accountId}:${apiId(api)}/${api.stageName}/${request.method}/${match.path.replace(/^\//, '')}`;
}

function deny(route: GatewayRoute, kind: 'unauthorized' | 'explicit' | 'implicit' | 'error'): AuthorizationOutcome {
  const rest = route.api.kind === 'REST';
  if (kind === 'unauthorized') return { allowed: false, response: gatewayError(401, 'Unauthorized') };
  if (kind === 'error') {
    const response = rest ? { ...gatewayError(500, ''), body: Buffer.from('{"message":null}') } : gatewayError(500, 'Internal Server Error');
    return { allowed: false, response };
  }
  if (!rest) return { allowed: false, response: gatewayError(403, 'Forbidden') };
  const message = kind === 'explicit' ? 'User is not authorized to access this resource with an explicit deny' : 'User is not authorized to access this resource';
  return { allowed: false, response: { status: 403, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ Message: message })) } };
}

function authorizerEvent(authorizer: LambdaAuthorizer, request: GatewayRequest, match: RouteMatch, identity: GatewayIdentity, sources: string[]): Record<string, unknown> {
  const arn = methodArn(request, match, identity);
  if (authorizer.type === 'TOKEN') return { type: 'TOKEN', authorizationToken: sources[0], methodArn: arn };
  if (authorizer.payloadFormat === '2.0') {
    const { body: _body, isBase64Encoded: _encoded, ...event } = httpApiEvent(request, match, identity);
    return { ...event, type: 'REQUEST', routeArn: arn, identitySource: sources };
  }
  const { body: _body, isBase64Encoded: _encoded, ...event } = proxyEventV1(request, match, identity);
  const version = match.route.api.kind === 'HTTP' ? { version: '1.0', identitySource: sources.join(',') } : {};
  return { ...version, type: 'REQUEST', methodArn: arn, ...event };
}

/** Context values reach the integration as strings, numbers and booleans; anything else is dropped, as API Gateway does. */
function scalarContext(context: unknown): Record<string, string | number | boolean> {
  const result: Record<string, string | number | boolean> = {};
  if (typeof context !== 'object' || context === null) return result;
  for (const [key, value] of Object.entries(context)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') result[key] = value;
  }
  return result;
}

/**
 * Runs the authorizer function (or reuses its cached answer for the same identity source values) and turns its answer
 * into allow (with the integration's requestContext.authorizer) or a 401/403/500. A cached policy is evaluated again for
 * each request's method ARN, as on AWS.
 */
export async function runLambdaAuthorizer(
  invoke: Invoke,
  authorizer: LambdaAuthorizer,
  request: GatewayRequest,
  match: RouteMatch,
  identity: GatewayIdentity,
  cache: AuthorizerCache,
): Promise<AuthorizationOutcome> {
  const { route } = match;
  // A REST REQUEST authorizer without identity sources always runs; a TOKEN one always has its header.
  const sources = identityValues(authorizer.identitySources, request, route);
  if (!sources) return deny(route, 'unauthorized');
  if (authorizer.type === 'TOKEN' && authorizer.validationExpression && !new RegExp(`^(?:${authorizer.validationExpression})$`).test(sources[0] ?? '')) {
    return deny(route, 'unauthorized');
  }
  const started = Date.now();
  const key = AuthorizerCache.key(route.api, authorizer, sources);
  let answer: unknown = key === undefined ? undefined : cache.get(key);
  if (answer === undefined) {
    let result: InvokeResult;
    try {
      result = await invoke({ functionName: authorizer.functionName, payload: Buffer.from(JSON.stringify(authorizerEvent(authorizer, request, match, identity, sources))) });
    } catch {
      return deny(route, 'error');
    }
    try {
      answer = JSON.parse(result.payload.toString('utf8'));
    } catch {
      return deny(route, 'error');
    }
    if (result.functionError) {
      // `throw new Error('Unauthorized')` (or callback('Unauthorized')) is how an authorizer answers 401.
      const message = typeof answer === 'object' && answer !== null ? (answer as { errorMessage?: unknown }).errorMessage : undefined;
      return deny(route, message === 'Unauthorized' ? 'unauthorized' : 'error');
    }
    if (key !== undefined && typeof answer === 'object' && answer !== null) cache.set(key, answer, authorizer.resultTtlSeconds);
  }
  if (typeof answer !== 'object' || answer === null) return deny(route, 'error');
  const response = answer as { isAuthorized?: unknown; policyDocument?: unknown; principalId?: unknown; context?: unknown };
  const context = scalarContext(response.context);
  if (authorizer.simpleResponses) {
    if (typeof response.isAuthorized !== 'boolean') return deny(route, 'error');
    return response.isAuthorized ? { allowed: true, authorizer: { lambda: context } } : deny(route, 'implicit');
  }
  const decision = evaluatePolicy(response.policyDocument, methodArn(request, match, identity));
  if (!decision) return deny(route, 'error');
  if (decision !== 'Allow') return deny(route, decision === 'ExplicitDeny' ? 'explicit' : 'implicit');
  if (route.api.kind === 'HTTP') return { allowed: true, authorizer: { lambda: context } };
  return { allowed: true, authorizer: { ...context, principalId: String(response.principalId ?? ''), integrationLatency: Date.now() - started } };
}
