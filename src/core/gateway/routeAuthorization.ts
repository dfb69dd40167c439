// Decides whether a request may reach its route: API keys (ApiKeyRequired), then the route's Lambda or JWT authorizer.
import type { GatewayIdentity } from './gatewayContext';
import { headerValue, type GatewayRequest } from './gatewayRequest';
import { gatewayError } from './gatewayResponse';
import { runJwtAuthorizer, type JsonWebKeySet } from './jwtAuthorizer';
import { runLambdaAuthorizer, type AuthorizationOutcome, type Invoke } from './lambdaAuthorizer';
import type { RouteMatch } from './routeMatcher';

export interface AuthorizationSettings {
  identity: GatewayIdentity;
  /** Keys for JWT authorizers; without them JWT routes are served unauthenticated (the gateway warns at start). */
  jwks?: JsonWebKeySet;
}

export type RouteAuthorization = AuthorizationOutcome & { apiKey?: string };

export async function authorizeRoute(invoke: Invoke, request: GatewayRequest, match: RouteMatch, settings: AuthorizationSettings): Promise<RouteAuthorization> {
  const { route } = match;
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
    outcome = await runLambdaAuthorizer(invoke, authorizer, request, match, settings.identity);
  }
  return apiKey === undefined ? outcome : { ...outcome, apiKey };
}
