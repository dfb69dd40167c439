// Security schemes of an OpenAPI definition: x-amazon-apigateway-authorizer (Lambda TOKEN / REQUEST, JWT, Cognito user pools), API keys and IAM (awsSigv4).
import { isRecord, type TemplatePath } from '../template/templateDocument';
import { cognitoAuthorizer, identitySources, resultTtl } from './authorizerConfig';
import type { ApiKind, AuthorizerConfig } from './gatewayModel';
import type { GatewayReadContext } from './gatewayReadContext';

export interface OpenApiSecurity {
  /** Authorizers by scheme name. */
  authorizers: Map<string, AuthorizerConfig>;
  /** Schemes with `x-amazon-apigateway-authtype: awsSigv4`: AWS_IAM. */
  iam: Set<string>;
  /** Schemes that are API keys (`type: apiKey`, header `x-api-key`, no authorizer). */
  apiKeys: Set<string>;
}

/** `components.securitySchemes` (OpenAPI 3) or `securityDefinitions` (Swagger 2), with where they are written. */
function schemesOf(body: Record<string, unknown>, at: TemplatePath): { schemes: Record<string, unknown>; at: TemplatePath } {
  const components = isRecord(body.components) ? body.components : {};
  if (isRecord(components.securitySchemes)) return { schemes: components.securitySchemes, at: [...at, 'components', 'securitySchemes'] };
  return { schemes: isRecord(body.securityDefinitions) ? body.securityDefinitions : {}, at: [...at, 'securityDefinitions'] };
}

export function readOpenApiSecurity(ctx: GatewayReadContext, body: Record<string, unknown>, at: TemplatePath, label: string, kind: ApiKind): OpenApiSecurity {
  const security: OpenApiSecurity = { authorizers: new Map(), iam: new Set(), apiKeys: new Set() };
  const { schemes, at: schemesAt } = schemesOf(body, at);
  for (const [name, scheme] of Object.entries(schemes)) {
    if (!isRecord(scheme)) continue;
    const where = `${label} security scheme ${name}`;
    const authType = String(ctx.text(scheme['x-amazon-apigateway-authtype'], `${where} x-amazon-apigateway-authtype`) ?? '').toLowerCase();
    const authorizer = scheme['x-amazon-apigateway-authorizer'];
    if (authType === 'awssigv4') {
      security.iam.add(name);
      continue;
    }
    if (!isRecord(authorizer)) {
      const header = String(scheme.name ?? '').toLowerCase();
      if (scheme.type === 'apiKey' && header === 'x-api-key' && scheme.in === 'header') security.apiKeys.add(name);
      else ctx.warnings.push(`${where} has no x-amazon-apigateway-authorizer; routes using it are served without authorization.`);
      continue;
    }
    const config = readAuthorizer(ctx, name, scheme, authorizer, [...schemesAt, name, 'x-amazon-apigateway-authorizer'], where, kind);
    if (config) security.authorizers.set(name, config);
  }
  return security;
}

function readAuthorizer(
  ctx: GatewayReadContext,
  name: string,
  scheme: Record<string, unknown>,
  authorizer: Record<string, unknown>,
  at: TemplatePath,
  where: string,
  kind: ApiKind,
): AuthorizerConfig | undefined {
  const type = String(ctx.text(authorizer.type, `${where} type`) ?? '').toLowerCase();
  // A REST scheme names its header in `name` (type apiKey, in header); identitySource may say more.
  const schemeHeader = scheme.in === 'header' && typeof scheme.name === 'string' ? scheme.name : 'Authorization';
  const sources = identitySources(ctx, authorizer.identitySource, `${where} identitySource`);
  if (type === 'jwt') {
    const jwt = isRecord(authorizer.jwtConfiguration) ? authorizer.jwtConfiguration : {};
    const issuer = ctx.text(jwt.issuer, `${where} jwtConfiguration.issuer`);
    return {
      type: 'JWT',
      name,
      identitySources: sources.length ? sources : ['$request.header.Authorization'],
      ...(issuer ? { issuer } : {}),
      audience: ctx.textList(jwt.audience, `${where} jwtConfiguration.audience`),
    };
  }
  if (type === 'cognito_user_pools' && kind === 'REST') {
    return cognitoAuthorizer(ctx, name, authorizer.providerARNs, schemeHeader, `${where} providerARNs`);
  }
  if (type !== 'token' && type !== 'request') {
    ctx.warnings.push(`${where}: authorizer type ${type || '(none)'} cannot run locally; routes using it are served without authorization.`);
    return undefined;
  }
  const target = ctx.functionTarget(authorizer.authorizerUri, [...at, 'authorizerUri'], `${where} authorizerUri`);
  const payloadFormat = kind === 'HTTP' && ctx.text(authorizer.authorizerPayloadFormatVersion, `${where} authorizerPayloadFormatVersion`) !== '1.0' ? '2.0' : '1.0';
  const validationExpression = ctx.text(authorizer.identityValidationExpression, `${where} identityValidationExpression`);
  return {
    type: type === 'token' && kind === 'REST' ? 'TOKEN' : 'REQUEST',
    name,
    functionName: target.functionName,
    identitySources: sources.length || type !== 'token' ? sources : [`$request.header.${schemeHeader}`],
    payloadFormat,
    simpleResponses: payloadFormat === '2.0' && ctx.value(authorizer.enableSimpleResponses, `${where} enableSimpleResponses`) === true,
    ...(validationExpression ? { validationExpression } : {}),
    resultTtlSeconds: resultTtl(ctx, authorizer.authorizerResultTtlInSeconds, kind, `${where} authorizerResultTtlInSeconds`),
  };
}
