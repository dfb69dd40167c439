// The API Gateway model read from templates: APIs (HTTP or REST), their routes to local functions, authorizers and CORS.
import type { SourceLocation } from '../common/errors';

export type ApiKind = 'HTTP' | 'REST';
export type PayloadFormat = '1.0' | '2.0';

/** CORS as the gateway answers it (HTTP API CorsConfiguration, or SAM's REST `Cors`). */
export interface CorsConfig {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  allowCredentials: boolean;
  maxAgeSeconds?: number;
}

/** A Lambda authorizer (REQUEST or TOKEN) or a JWT authorizer. */
export type AuthorizerConfig =
  | {
      type: 'REQUEST' | 'TOKEN';
      name: string;
      /** The function the authorizer invokes (name or name:alias). */
      functionName: string;
      /** `$request.header.Authorization`-style (HTTP) or `method.request.header.Authorization`-style (REST) sources. */
      identitySources: string[];
      /** HTTP APIs: '1.0' or '2.0' authorizer payload; REST: always '1.0'. */
      payloadFormat: PayloadFormat;
      /** HTTP APIs with payload 2.0: `{"isAuthorized": ...}` instead of an IAM policy. */
      simpleResponses: boolean;
      /** REST TOKEN authorizers: the token must match this regular expression. */
      validationExpression?: string;
      /** How long an answer is reused for the same identity source values; 0 turns caching off. */
      resultTtlSeconds: number;
    }
  | {
      type: 'JWT';
      name: string;
      identitySources: string[];
      issuer?: string;
      audience: string[];
      /** A REST API's Cognito user pool authorizer (COGNITO_USER_POOLS): the pool's tokens checked as JWTs, claims passed as `claims`. */
      cognito?: boolean;
    };

/** API Gateway's default authorizer result TTLs: REST 300 s; HTTP APIs 0 (caching off). */
export const AUTHORIZER_TTL_SECONDS: Record<ApiKind, number> = { REST: 300, HTTP: 0 };

export interface GatewayApi {
  /** Logical id of the API (ServerlessHttpApi / ServerlessRestApi for SAM's implicit APIs). */
  id: string;
  kind: ApiKind;
  stageName: string;
  stageVariables: Record<string, string>;
  binaryMediaTypes: string[];
  cors?: CorsConfig;
  /** API keys accepted for routes with ApiKeyRequired (from AWS::ApiGateway::ApiKey resources and settings). */
  apiKeys: string[];
  location?: SourceLocation;
}

export interface GatewayRoute {
  api: GatewayApi;
  /** Upper-case method or ANY. */
  method: string;
  /** `/orders/{id}`, `/files/{proxy+}`, or `$default`. */
  path: string;
  /** Function to invoke: name, or name:alias when the function has an AutoPublishAlias. */
  functionName: string;
  /** Logical id of the function, for display. */
  functionId: string;
  payloadFormat: PayloadFormat;
  /** Integration timeout; undefined means the API kind's default (29 s REST, 30 s HTTP). */
  timeoutMs?: number;
  authorizer?: AuthorizerConfig;
  /** AuthorizationType AWS_IAM: callers sign their requests with SigV4 (service execute-api). */
  iamAuth: boolean;
  /** JWT scopes the route requires (HTTP APIs). */
  authorizationScopes: string[];
  apiKeyRequired: boolean;
  location?: SourceLocation;
}

/** Default integration timeouts of API Gateway. */
export const INTEGRATION_TIMEOUT_MS: Record<ApiKind, number> = { REST: 29_000, HTTP: 30_000 };

/** `GET /orders/{id}` (or `$default`), the way API Gateway writes route keys. */
export function routeKey(route: Pick<GatewayRoute, 'method' | 'path'>): string {
  return route.path === '$default' ? '$default' : `${route.method} ${route.path}`;
}
