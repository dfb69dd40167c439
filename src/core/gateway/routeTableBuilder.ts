// Collects the APIs and routes the template readers find, and resolves each route's authorizer and API key setting.
import type { TemplatePath } from '../template/templateDocument';
import { routeKey, type ApiKind, type AuthorizerConfig, type GatewayApi, type GatewayRoute, type PayloadFormat } from './gatewayModel';
import type { FunctionTarget, GatewayReadContext } from './gatewayReadContext';
import type { OpenApiDefinition } from './openApiRoutes';

/** An API while it is read: its authorizers and defaults apply to the routes added to it. */
export interface ApiEntry {
  api: GatewayApi;
  authorizers: Map<string, AuthorizerConfig>;
  defaultAuthorizer?: string;
  apiKeyRequired: boolean;
}

export interface RouteInput {
  method: string;
  path: string;
  target: FunctionTarget;
  payloadFormat?: PayloadFormat;
  timeoutMs?: number;
  /** Authorizer name; 'NONE' for none; undefined for the API's default. */
  authorizer?: string;
  authorizationScopes?: string[];
  apiKeyRequired?: boolean;
  at: TemplatePath;
}

export class RouteTableBuilder {
  readonly apis = new Map<string, ApiEntry>();
  readonly routes: GatewayRoute[] = [];

  constructor(private readonly ctx: GatewayReadContext) {}

  /** The API with this id, created with defaults on first use. */
  api(id: string, kind: ApiKind, at?: TemplatePath): ApiEntry {
    let entry = this.apis.get(id);
    if (!entry) {
      entry = {
        api: { id, kind, stageName: kind === 'HTTP' ? '$default' : 'Prod', stageVariables: {}, binaryMediaTypes: [], apiKeys: [], ...(at ? { location: this.ctx.locate(at) } : {}) },
        authorizers: new Map(),
        apiKeyRequired: false,
      };
      this.apis.set(id, entry);
    }
    return entry;
  }

  addRoute(entry: ApiEntry, input: RouteInput): void {
    const method = input.method.toUpperCase() === 'ANY' || input.method === '*' ? 'ANY' : input.method.toUpperCase();
    const path = input.path === '$default' ? '$default' : `/${input.path.replace(/^\/+/, '')}`.replace(/(.)\/+$/, '$1');
    const authorizerName = input.authorizer ?? entry.defaultAuthorizer;
    let authorizer: AuthorizerConfig | undefined;
    if (authorizerName !== undefined && authorizerName !== 'NONE' && authorizerName !== 'AWS_IAM') {
      authorizer = entry.authorizers.get(authorizerName);
      if (!authorizer) {
        this.ctx.fail(input.at, `Route ${method} ${path} of ${entry.api.id} uses authorizer '${authorizerName}', which ${entry.api.id} does not define.`,
          `Defined authorizers: ${[...entry.authorizers.keys()].join(', ') || 'none'}.`);
      }
    }
    const route: GatewayRoute = {
      api: entry.api,
      method,
      path,
      functionName: input.target.functionName,
      functionId: input.target.functionId,
      payloadFormat: entry.api.kind === 'REST' ? '1.0' : input.payloadFormat ?? '2.0',
      ...(input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {}),
      ...(authorizer ? { authorizer } : {}),
      iamAuth: authorizerName === 'AWS_IAM',
      authorizationScopes: input.authorizationScopes ?? [],
      apiKeyRequired: input.apiKeyRequired ?? entry.apiKeyRequired,
      location: this.ctx.locate(input.at),
    };
    const clash = this.routes.find((other) => other.api === entry.api && routeKey(other) === routeKey(route));
    if (clash) {
      this.ctx.fail(input.at, `Route ${routeKey(route)} of ${entry.api.id} is declared twice (also for ${clash.functionId}).`);
    }
    this.routes.push(route);
  }

  /**
   * Routes of an OpenAPI definition. Its security requirements name its own security schemes (authorizers, awsSigv4 for
   * IAM, API keys) or the API's authorizers (SAM Auth); the definition's authorizers join the API's (SAM's win).
   */
  addOpenApi(entry: ApiEntry, definition: OpenApiDefinition): void {
    entry.api.binaryMediaTypes.push(...definition.binaryMediaTypes);
    const { security } = definition;
    for (const [name, authorizer] of security.authorizers) if (!entry.authorizers.has(name)) entry.authorizers.set(name, authorizer);
    for (const route of definition.routes) {
      const iam = route.security.find((requirement) => security.iam.has(requirement.name));
      const authorizer = iam ?? route.security.find((requirement) => entry.authorizers.has(requirement.name));
      const apiKey = route.security.some((requirement) => requirement.name === 'api_key' || security.apiKeys.has(requirement.name));
      this.addRoute(entry, {
        method: route.method,
        path: route.path,
        target: route.target,
        ...(route.payloadFormat ? { payloadFormat: route.payloadFormat } : {}),
        ...(route.timeoutMs !== undefined ? { timeoutMs: route.timeoutMs } : {}),
        authorizer: iam ? 'AWS_IAM' : authorizer?.name ?? (route.security.length ? 'NONE' : undefined),
        authorizationScopes: authorizer?.scopes ?? [],
        apiKeyRequired: apiKey || entry.apiKeyRequired,
        at: route.at,
      });
    }
  }
}
