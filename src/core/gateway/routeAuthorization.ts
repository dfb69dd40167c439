// Decides whether a request may reach its route: IAM (SigV4), API keys (ApiKeyRequired), then the route's Lambda or JWT authorizer.
import type { AuthorizerCache } from './authorizerCache';
import type { GatewayIdentity } from './gatewayContext';
import { headerValue, type GatewayRequest } from './gatewayRequest';
import { gatewayError } from './gatewayResponse';
import { authorizeIam, type IamCaller, type IamCredentials } from './iamAuthorization';
import { runJwtAuthorizer, type JsonWebKeySet } from './jwtAuthorizer';
import { runLambdaAuthorizer, type AuthorizationOutcome, type Invoke } from './lambdaAuthorizer';
import type { RouteMatch } from './routeMatcher';

export interface AuthorizationSettings {
  identity: GatewayIdentity;
  /** Keys for JWT authorizers; without them JWT routes are served unauthenticated (the gateway warns at start). */
  jwks?: JsonWebKeySet;
  /** Lambda authorizer answers reused within their result TTL. */
  cache: AuthorizerCache;
  /** Credentials whose SigV4 signatures AWS_IAM routes accept. */
  iamCredentials: readonly IamCredentials[];
}

export type RouteAuthorization = AuthorizationOutcome & { apiKey?: string; iamCaller?: IamCaller };

export async function authorizeRoute(invoke: Invoke, request: GatewayRequest, match: RouteMatch, settings: AuthorizationSettings): Promise<RouteAuthorization> {
  const { route } = match;
  let iamCaller: IamCaller | undefined;
  if (route.iamAuth) {
    const iam = await authorizeIam(request, route.api, settings.iamCredentials, settings.identity);
    if (!iam.allowed) return iam;
    iamCaller = iam.caller;
  }
  let apiKey: string | undefined;
  if (route.apiKeyRequired) {
    apiKey = headerValue(request, 'x-api-key');
    if (apiKey === undefined || !route.api.apiKeys.includes(apiKey)) return { allowed: false, response: gatewayError(403, 'Forbidden') };
  }
  const { authorizer } = route;
  let outcome: AuthorizationOutcome = { allowed: true };
  if (authorizer?.type === 'JWT') {
    if (settings.jwks) outcome = await runJwtAuthorizer(authorizer, settings.jwks, request, route);
  } else if (authorizer) {
    outcome = await runLambdaAuthorizer(invoke, authorizer, request, match, settings.identity, settings.cache);
  }
  return { ...outcome, ...(apiKey !== undefined ? { apiKey } : {}), ...(iamCaller ? { iamCaller } : {}) };
}
