// Reads authorizer definitions: SAM Auth.Authorizers (HttpApi and Api) and AWS::ApiGatewayV2::Authorizer / AWS::ApiGateway::Authorizer.
import type { TemplatePath } from '../template/templateDocument';
import { isRecord } from '../template/templateDocument';
import { AUTHORIZER_TTL_SECONDS, type ApiKind, type AuthorizerConfig, type PayloadFormat } from './gatewayModel';
import type { GatewayReadContext } from './gatewayReadContext';

/** REST writes `method.request.header.X`; HTTP APIs write `$request.header.X`. Both become the HTTP form. */
function normalizeIdentitySource(source: string): string {
  const trimmed = source.trim();
  if (trimmed.startsWith('method.request.')) return `$request.${trimmed.slice('method.request.'.length)}`;
  if (trimmed.startsWith('stageVariables.')) return `$stageVariables.${trimmed.slice('stageVariables.'.length)}`;
  if (trimmed.startsWith('context.')) return `$context.${trimmed.slice('context.'.length)}`;
  return trimmed;
}

export function identitySources(ctx: GatewayReadContext, raw: unknown, label: string): string[] {
  return ctx.textList(raw, label).flatMap((item) => item.split(',')).map(normalizeIdentitySource).filter(Boolean);
}

/** The authorizer result TTL in seconds (0 to 3600), or the API kind's default. */
export function resultTtl(ctx: GatewayReadContext, raw: unknown, kind: ApiKind, label: string): number {
  const value = Number(ctx.value(raw, label));
  return raw !== undefined && Number.isInteger(value) && value >= 0 && value <= 3600 ? value : AUTHORIZER_TTL_SECONDS[kind];
}

/**
 * A REST API's Cognito user pool authorizer, checked locally as a JWT authorizer: the token (no "Bearer" needed) is
 * verified against the JWKS given to the gateway, with the pool's issuer (https://cognito-idp.REGION.amazonaws.com/POOL)
 * when the pool ARN is known; the claims reach the integration as requestContext.authorizer.claims.
 */
export function cognitoAuthorizer(ctx: GatewayReadContext, name: string, providerArns: unknown, header: string, label: string): AuthorizerConfig {
  const pool = ctx.textList(providerArns, label).map((arn) => /^arn:aws[\w-]*:cognito-idp:([^:]+):\d*:userpool\/(.+)$/.exec(arn)).find(Boolean);
  return {
    type: 'JWT',
    name,
    identitySources: [`$request.header.${header}`],
    ...(pool ? { issuer: `https://cognito-idp.${pool[1]}.amazonaws.com/${pool[2]}` } : {}),
    audience: [],
    cognito: true,
  };
}

/** SAM `Identity: {Headers, QueryStrings, StageVariables, Context}` as identity sources. */
function samIdentity(ctx: GatewayReadContext, identity: Record<string, unknown>, label: string): string[] {
  const kinds: [string, string][] = [['Headers', '$request.header.'], ['QueryStrings', '$request.querystring.'], ['StageVariables', '$stageVariables.'], ['Context', '$context.']];
  return kinds.flatMap(([key, prefix]) => ctx.textList(identity[key], `${label}.${key}`).map((name) => `${prefix}${name}`));
}

/** SAM HttpApi `Auth.Authorizers`: Lambda (FunctionArn) or JWT (JwtConfiguration). */
export function readSamHttpAuthorizers(ctx: GatewayReadContext, authorizers: unknown, path: TemplatePath): Map<string, AuthorizerConfig> {
  const result = new Map<string, AuthorizerConfig>();
  if (!isRecord(authorizers)) return result;
  for (const [name, raw] of Object.entries(authorizers)) {
    if (!isRecord(raw)) continue;
    const at = [...path, name];
    if (raw.JwtConfiguration !== undefined) {
      const jwt = isRecord(raw.JwtConfiguration) ? raw.JwtConfiguration : {};
      const issuer = ctx.text(jwt.issuer ?? jwt.Issuer, `${name}.JwtConfiguration.issuer`);
      result.set(name, {
        type: 'JWT',
        name,
        identitySources: identitySources(ctx, raw.IdentitySource ?? '$request.header.Authorization', `${name}.IdentitySource`),
        ...(issuer ? { issuer } : {}),
        audience: ctx.textList(jwt.audience ?? jwt.Audience, `${name}.JwtConfiguration.audience`),
      });
    } else if (raw.FunctionArn !== undefined) {
      const target = ctx.functionTarget(raw.FunctionArn, [...at, 'FunctionArn'], `Authorizer ${name}`);
      const payloadFormat = ctx.text(raw.AuthorizerPayloadFormatVersion, `${name}.AuthorizerPayloadFormatVersion`) === '1.0' ? '1.0' : '2.0';
      const identity = isRecord(raw.Identity) ? samIdentity(ctx, raw.Identity, `${name}.Identity`) : [];
      result.set(name, {
        type: 'REQUEST',
        name,
        functionName: target.functionName,
        identitySources: identity,
        payloadFormat,
        simpleResponses: payloadFormat === '2.0' && ctx.value(raw.EnableSimpleResponses, `${name}.EnableSimpleResponses`) === true,
        resultTtlSeconds: resultTtl(ctx, isRecord(raw.Identity) ? raw.Identity.ReauthorizeEvery : undefined, 'HTTP', `${name}.Identity.ReauthorizeEvery`),
      });
    } else {
      ctx.warnings.push(`Authorizer ${name} is neither a Lambda nor a JWT authorizer; routes using it are served without authorization.`);
    }
  }
  return result;
}

/** SAM Api `Auth.Authorizers`: Lambda TOKEN (default) or REQUEST authorizers, and Cognito user pool authorizers (UserPoolArn). */
export function readSamRestAuthorizers(ctx: GatewayReadContext, authorizers: unknown, path: TemplatePath): Map<string, AuthorizerConfig> {
  const result = new Map<string, AuthorizerConfig>();
  if (!isRecord(authorizers)) return result;
  for (const [name, raw] of Object.entries(authorizers)) {
    if (!isRecord(raw)) continue;
    const identity = isRecord(raw.Identity) ? raw.Identity : {};
    if (raw.UserPoolArn !== undefined) {
      result.set(name, cognitoAuthorizer(ctx, name, raw.UserPoolArn, ctx.text(identity.Header, `${name}.Identity.Header`) ?? 'Authorization', `${name}.UserPoolArn`));
      continue;
    }
    if (raw.FunctionArn === undefined) {
      ctx.warnings.push(`Authorizer ${name} is neither a Lambda nor a Cognito user pool authorizer; routes using it are served without authorization.`);
      continue;
    }
    const target = ctx.functionTarget(raw.FunctionArn, [...path, name, 'FunctionArn'], `Authorizer ${name}`);
    const type = ctx.text(raw.FunctionPayloadType, `${name}.FunctionPayloadType`) === 'REQUEST' ? 'REQUEST' : 'TOKEN';
    const validationExpression = ctx.text(identity.ValidationExpression, `${name}.Identity.ValidationExpression`);
    const sources = type === 'TOKEN'
      ? [`$request.header.${ctx.text(identity.Header, `${name}.Identity.Header`) ?? 'Authorization'}`]
      : samIdentity(ctx, identity, `${name}.Identity`);
    result.set(name, {
      type,
      name,
      functionName: target.functionName,
      identitySources: sources,
      payloadFormat: '1.0',
      simpleResponses: false,
      ...(validationExpression ? { validationExpression } : {}),
      resultTtlSeconds: resultTtl(ctx, identity.ReauthorizeEvery, 'REST', `${name}.Identity.ReauthorizeEvery`),
    });
  }
  return result;
}

/** AWS::ApiGatewayV2::Authorizer (HTTP) or AWS::ApiGateway::Authorizer (REST). */
export function readAuthorizerResource(ctx: GatewayReadContext, id: string, properties: Record<string, unknown>, rest: boolean): AuthorizerConfig | undefined {
  const at = ['Resources', id, 'Properties'];
  const type = ctx.text(rest ? properties.Type : properties.AuthorizerType, `${id}.Type`);
  const name = ctx.text(properties.Name, `${id}.Name`) ?? id;
  const sources = identitySources(ctx, properties.IdentitySource, `${id}.IdentitySource`);
  if (type === 'JWT') {
    const jwt = isRecord(properties.JwtConfiguration) ? properties.JwtConfiguration : {};
    const issuer = ctx.text(jwt.Issuer, `${id}.JwtConfiguration.Issuer`);
    return { type: 'JWT', name, identitySources: sources, ...(issuer ? { issuer } : {}), audience: ctx.textList(jwt.Audience, `${id}.JwtConfiguration.Audience`) };
  }
  if (rest && type === 'COGNITO_USER_POOLS') {
    const header = sources[0]?.replace(/^\$request\.header\./, '') ?? 'Authorization';
    return cognitoAuthorizer(ctx, name, properties.ProviderARNs, header, `${id}.ProviderARNs`);
  }
  if (type !== 'REQUEST' && type !== 'TOKEN') {
    ctx.warnings.push(`${id}: authorizer type ${type ?? '(none)'} cannot run locally; routes using it are served without authorization.`);
    return undefined;
  }
  const target = ctx.functionTarget(properties.AuthorizerUri, [...at, 'AuthorizerUri'], `Authorizer ${id}`);
  const payloadFormat: PayloadFormat = rest || ctx.text(properties.AuthorizerPayloadFormatVersion, `${id}.AuthorizerPayloadFormatVersion`) === '1.0' ? '1.0' : '2.0';
  const validationExpression = ctx.text(properties.IdentityValidationExpression, `${id}.IdentityValidationExpression`);
  return {
    type,
    name,
    functionName: target.functionName,
    identitySources: sources.length || !rest || type !== 'TOKEN' ? sources : ['$request.header.Authorization'],
    payloadFormat,
    simpleResponses: !rest && payloadFormat === '2.0' && ctx.value(properties.EnableSimpleResponses, `${id}.EnableSimpleResponses`) === true,
    ...(validationExpression ? { validationExpression } : {}),
    resultTtlSeconds: resultTtl(ctx, properties.AuthorizerResultTtlInSeconds, rest ? 'REST' : 'HTTP', `${id}.AuthorizerResultTtlInSeconds`),
  };
}
