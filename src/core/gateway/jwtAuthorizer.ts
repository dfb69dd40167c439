// JWT authorizers of HTTP APIs: the token from the identity source is verified (signature, issuer, audience, expiry) against a local JWKS with jose.
import type { AuthorizerConfig, GatewayRoute } from './gatewayModel';
import type { GatewayRequest } from './gatewayRequest';
import { gatewayError } from './gatewayResponse';
import { identityValues } from './identitySources';
import type { AuthorizationOutcome } from './lambdaAuthorizer';

type JwtAuthorizer = Extract<AuthorizerConfig, { type: 'JWT' }>;

/** A JSON Web Key Set ({"keys": [...]}) as `start --jwks` reads it. */
export interface JsonWebKeySet {
  keys: Record<string, unknown>[];
}

/** jose ships as an ECMAScript module only: loaded on the first JWT-protected request. */
const loadJose = () => import('jose');

/** Claims reach the integration as strings; lists are written `[a b]`, as API Gateway writes them. */
function claimText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(claimText).join(' ')}]`;
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** `scope` (space-separated) or `scp` (a list), as API Gateway reads them. */
function tokenScopes(claims: Record<string, unknown>): string[] {
  if (typeof claims.scope === 'string') return claims.scope.split(' ').filter(Boolean);
  if (Array.isArray(claims.scp)) return claims.scp.map(String);
  if (typeof claims.scp === 'string') return claims.scp.split(' ').filter(Boolean);
  return [];
}

export async function runJwtAuthorizer(authorizer: JwtAuthorizer, jwks: JsonWebKeySet, request: GatewayRequest, route: GatewayRoute): Promise<AuthorizationOutcome> {
  const unauthorized: AuthorizationOutcome = { allowed: false, response: gatewayError(401, 'Unauthorized') };
  const sources = identityValues(authorizer.identitySources.length ? authorizer.identitySources : ['$request.header.Authorization'], request, route);
  if (!sources) return unauthorized;
  const token = (sources[0] ?? '').replace(/^Bearer\s+/i, '');
  let claims: Record<string, unknown>;
  try {
    const { createLocalJWKSet, jwtVerify } = await loadJose();
    const verified = await jwtVerify(token, createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]), {
      ...(authorizer.issuer ? { issuer: authorizer.issuer } : {}),
      ...(authorizer.audience.length ? { audience: authorizer.audience } : {}),
    });
    claims = verified.payload;
  } catch {
    return unauthorized;
  }
  const scopes = tokenScopes(claims);
  if (route.authorizationScopes.length && !route.authorizationScopes.some((scope) => scopes.includes(scope))) {
    return { allowed: false, response: gatewayError(403, 'Forbidden') };
  }
  const stringClaims = Object.fromEntries(Object.entries(claims).map(([key, value]) => [key, claimText(value)]));
  // A REST Cognito user pool authorizer passes the claims as requestContext.authorizer.claims.
  if (authorizer.cognito) return { allowed: true, authorizer: { claims: stringClaims } };
  return { allowed: true, authorizer: { jwt: { claims: stringClaims, scopes: scopes.length ? scopes : null } } };
}
