// CloudFormation APIs: AWS::ApiGatewayV2::Api/Integration/Route/Stage/Authorizer (HTTP) and AWS::ApiGateway::RestApi/Resource/Method/Stage/Authorizer/ApiKey (REST).
import { intrinsicName } from '../template/intrinsicResolver';
import { isRecord, type TemplateResource } from '../template/templateDocument';
import { readAuthorizerResource } from './authorizerConfig';
import { readHttpCors } from './corsConfig';
import type { AuthorizerConfig, PayloadFormat } from './gatewayModel';
import type { FunctionTarget, GatewayReadContext } from './gatewayReadContext';
import { readOpenApi } from './openApiRoutes';
import type { ApiEntry, RouteTableBuilder } from './routeTableBuilder';

interface Integration {
  target: FunctionTarget;
  payloadFormat?: PayloadFormat;
  timeoutMs?: number;
}

type Resources = [string, TemplateResource][];

function byType(ctx: GatewayReadContext, type: string): Resources {
  return Object.entries(ctx.doc.resources).filter(([, resource]) => resource.type === type);
}

function timeout(ctx: GatewayReadContext, raw: unknown, label: string): number | undefined {
  const value = Number(ctx.value(raw, label));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** The API entry a child resource belongs to (by its ApiId / RestApiId reference), or a load error. */
function parentApi(ctx: GatewayReadContext, builder: RouteTableBuilder, id: string, raw: unknown, property: string): ApiEntry {
  const apiId = ctx.referencedId(raw);
  const entry = apiId === undefined ? undefined : builder.apis.get(apiId);
  if (!entry) return ctx.fail(['Resources', id, 'Properties', property], `${id} names API '${apiId ?? JSON.stringify(raw)}', which is not an API of this template.`);
  return entry;
}

function authorizersOf(ctx: GatewayReadContext, builder: RouteTableBuilder, type: string, rest: boolean): Map<string, AuthorizerConfig> {
  const byId = new Map<string, AuthorizerConfig>();
  for (const [id, resource] of byType(ctx, type)) {
    const entry = parentApi(ctx, builder, id, resource.properties[rest ? 'RestApiId' : 'ApiId'], rest ? 'RestApiId' : 'ApiId');
    const authorizer = readAuthorizerResource(ctx, id, resource.properties, rest);
    if (!authorizer) continue;
    entry.authorizers.set(id, authorizer);
    byId.set(id, authorizer);
  }
  return byId;
}

export function readHttpApiResources(ctx: GatewayReadContext, builder: RouteTableBuilder): void {
  for (const [id, resource] of byType(ctx, 'AWS::ApiGatewayV2::Api')) {
    const props = resource.properties;
    const protocol = ctx.text(props.ProtocolType, `${id}.ProtocolType`) ?? 'HTTP';
    if (protocol !== 'HTTP') {
      ctx.warnings.push(`${id}: ${protocol} APIs are not served locally (only HTTP APIs).`);
      continue;
    }
    const entry = builder.api(id, 'HTTP', ['Resources', id]);
    const cors = readHttpCors(ctx, props.CorsConfiguration, `${id}.CorsConfiguration`);
    if (cors) entry.api.cors = cors;
    if (props.Body !== undefined) builder.addOpenApi(entry, readOpenApi(ctx, ctx.resolver.resolve(props.Body), ['Resources', id, 'Properties', 'Body'], id, 'HTTP'));
    if (props.Target !== undefined) {
      // Quick create: a $default route to the target with payload format 2.0.
      builder.addRoute(entry, { method: 'ANY', path: '$default', target: ctx.functionTarget(props.Target, ['Resources', id, 'Properties', 'Target'], `${id}.Target`), at: ['Resources', id, 'Properties', 'Target'] });
    }
  }
  for (const [id, resource] of byType(ctx, 'AWS::ApiGatewayV2::Stage')) {
    const entry = parentApi(ctx, builder, id, resource.properties.ApiId, 'ApiId');
    entry.api.stageName = ctx.text(resource.properties.StageName, `${id}.StageName`) ?? entry.api.stageName;
    const variables = ctx.value(resource.properties.StageVariables, `${id}.StageVariables`);
    if (isRecord(variables)) entry.api.stageVariables = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(v)]));
  }
  const integrations = new Map<string, Integration>();
  for (const [id, resource] of byType(ctx, 'AWS::ApiGatewayV2::Integration')) {
    const props = resource.properties;
    const type = ctx.text(props.IntegrationType, `${id}.IntegrationType`);
    if (type !== 'AWS_PROXY') {
      ctx.warnings.push(`${id}: ${type ?? 'untyped'} integrations are not served locally (only AWS_PROXY to a Lambda function).`);
      continue;
    }
    const format = ctx.text(props.PayloadFormatVersion, `${id}.PayloadFormatVersion`);
    const timeoutMs = timeout(ctx, props.TimeoutInMillis, `${id}.TimeoutInMillis`);
    integrations.set(id, {
      target: ctx.functionTarget(props.IntegrationUri, ['Resources', id, 'Properties', 'IntegrationUri'], `Integration ${id}`),
      ...(format === '1.0' || format === '2.0' ? { payloadFormat: format } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
  }
  const authorizers = authorizersOf(ctx, builder, 'AWS::ApiGatewayV2::Authorizer', false);
  for (const [id, resource] of byType(ctx, 'AWS::ApiGatewayV2::Route')) {
    const props = resource.properties;
    const at = ['Resources', id, 'Properties'];
    const entry = parentApi(ctx, builder, id, props.ApiId, 'ApiId');
    const key = ctx.text(props.RouteKey, `${id}.RouteKey`) ?? '';
    const target = ctx.text(props.Target, `${id}.Target`) ?? '';
    const integration = integrations.get(target.replace(/^integrations\//, ''));
    if (!integration) {
      ctx.warnings.push(`${id} (${key}) has no AWS_PROXY integration of this template as its Target; it is not served.`);
      continue;
    }
    const [method, path] = key === '$default' ? ['ANY', '$default'] : key.split(/\s+/, 2);
    if (!method || !path) return ctx.fail([...at, 'RouteKey'], `${id}: RouteKey must be '$default' or 'METHOD /path', got '${key}'.`);
    const authorizationType = ctx.text(props.AuthorizationType, `${id}.AuthorizationType`) ?? 'NONE';
    const authorizerId = ctx.referencedId(props.AuthorizerId);
    if ((authorizationType === 'CUSTOM' || authorizationType === 'JWT') && (authorizerId === undefined || !authorizers.has(authorizerId))) {
      ctx.warnings.push(`${id}: its authorizer is not an authorizer of this template that runs locally; the route is served without authorization.`);
    }
    builder.addRoute(entry, {
      method,
      path,
      target: integration.target,
      ...(integration.payloadFormat ? { payloadFormat: integration.payloadFormat } : {}),
      ...(integration.timeoutMs !== undefined ? { timeoutMs: integration.timeoutMs } : {}),
      authorizer: authorizationType === 'AWS_IAM' ? 'AWS_IAM' : authorizerId !== undefined && authorizers.has(authorizerId) ? authorizerId : 'NONE',
      authorizationScopes: ctx.textList(props.AuthorizationScopes, `${id}.AuthorizationScopes`),
      at,
    });
  }
}

export function readRestApiResources(ctx: GatewayReadContext, builder: RouteTableBuilder): void {
  const restApis = byType(ctx, 'AWS::ApiGateway::RestApi');
  for (const [id, resource] of restApis) {
    const entry = builder.api(id, 'REST', ['Resources', id]);
    entry.api.binaryMediaTypes.push(...ctx.textList(resource.properties.BinaryMediaTypes, `${id}.BinaryMediaTypes`));
    if (resource.properties.Body !== undefined) {
      builder.addOpenApi(entry, readOpenApi(ctx, ctx.resolver.resolve(resource.properties.Body), ['Resources', id, 'Properties', 'Body'], id, 'REST'));
    }
  }
  const keys = byType(ctx, 'AWS::ApiGateway::ApiKey').flatMap(([id, resource]) => ctx.textList(resource.properties.Value, `${id}.Value`));
  for (const [, entry] of builder.apis) if (entry.api.kind === 'REST') entry.api.apiKeys.push(...keys);
  if (!restApis.length) return;
  for (const type of ['AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment']) {
    for (const [id, resource] of byType(ctx, type)) {
      const entry = parentApi(ctx, builder, id, resource.properties.RestApiId, 'RestApiId');
      const stage = ctx.text(resource.properties.StageName, `${id}.StageName`);
      if (stage) entry.api.stageName = stage;
      const variables = ctx.value(resource.properties.Variables, `${id}.Variables`);
      if (isRecord(variables)) entry.api.stageVariables = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(v)]));
    }
  }
  const authorizers = authorizersOf(ctx, builder, 'AWS::ApiGateway::Authorizer', true);
  const resourcePath = (raw: unknown, seen: Set<string>): string | undefined => {
    // !GetAtt Api.RootResourceId is "/".
    if (isRecord(raw) && intrinsicName(raw) === 'Fn::GetAtt') return '/';
    const id = ctx.referencedId(raw);
    const resource = id === undefined ? undefined : ctx.doc.resources[id];
    if (!id || resource?.type !== 'AWS::ApiGateway::Resource' || seen.has(id)) return undefined;
    seen.add(id);
    const parent = resourcePath(resource.properties.ParentId, seen);
    const part = ctx.text(resource.properties.PathPart, `${id}.PathPart`);
    return parent === undefined || part === undefined ? undefined : `${parent === '/' ? '' : parent}/${part}`;
  };
  for (const [id, resource] of byType(ctx, 'AWS::ApiGateway::Method')) {
    const props = resource.properties;
    const at = ['Resources', id, 'Properties'];
    const entry = parentApi(ctx, builder, id, props.RestApiId, 'RestApiId');
    const integration = isRecord(props.Integration) ? props.Integration : {};
    const method = ctx.text(props.HttpMethod, `${id}.HttpMethod`) ?? '';
    const type = ctx.text(integration.Type, `${id}.Integration.Type`);
    if (type !== 'AWS_PROXY') {
      // MOCK OPTIONS methods are how templates write CORS; the gateway answers preflights itself.
      if (!(type === 'MOCK' && method.toUpperCase() === 'OPTIONS')) ctx.warnings.push(`${id}: ${type ?? 'untyped'} integrations are not served locally (only AWS_PROXY).`);
      continue;
    }
    const path = resourcePath(props.ResourceId, new Set());
    if (path === undefined) return ctx.fail([...at, 'ResourceId'], `${id}: ResourceId must be !GetAtt ${entry.api.id}.RootResourceId or a Ref to an AWS::ApiGateway::Resource of this template.`);
    const authorizerId = ctx.referencedId(props.AuthorizerId);
    const authorizationType = ctx.text(props.AuthorizationType, `${id}.AuthorizationType`) ?? 'NONE';
    const timeoutMs = timeout(ctx, integration.TimeoutInMillis, `${id}.Integration.TimeoutInMillis`);
    builder.addRoute(entry, {
      method,
      path,
      target: ctx.functionTarget(integration.Uri, [...at, 'Integration', 'Uri'], `Method ${id}`),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      authorizer: authorizationType === 'AWS_IAM' ? 'AWS_IAM' : authorizerId !== undefined && authorizers.has(authorizerId) ? authorizerId : 'NONE',
      authorizationScopes: ctx.textList(props.AuthorizationScopes, `${id}.AuthorizationScopes`),
      apiKeyRequired: ctx.value(props.ApiKeyRequired, `${id}.ApiKeyRequired`) === true,
      at,
    });
  }
}
