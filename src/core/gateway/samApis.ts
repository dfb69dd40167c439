// SAM's APIs: AWS::Serverless::HttpApi / Api resources (with Globals), the implicit ServerlessHttpApi / ServerlessRestApi, and HttpApi / Api events.
import { mergeGlobal } from '../template/samGlobals';
import type { FunctionSpec } from '../template/functionSpec';
import { isRecord } from '../template/templateDocument';
import { readSamHttpAuthorizers, readSamRestAuthorizers } from './authorizerConfig';
import { readHttpCors, readRestCors } from './corsConfig';
import type { ApiKind } from './gatewayModel';
import type { GatewayReadContext } from './gatewayReadContext';
import { readDefinitionUri, readOpenApi } from './openApiRoutes';
import type { ApiEntry, RouteTableBuilder } from './routeTableBuilder';

const SAM_HTTP_API = 'AWS::Serverless::HttpApi';
const SAM_REST_API = 'AWS::Serverless::Api';
const IMPLICIT_ID: Record<ApiKind, string> = { HTTP: 'ServerlessHttpApi', REST: 'ServerlessRestApi' };

/** SAM writes `/` in binary media types as `~1` (a JSON pointer escape). */
function unescapeMediaType(type: string): string {
  return type.replace(/~1/g, '/');
}

function globals(ctx: GatewayReadContext, kind: ApiKind): Record<string, unknown> {
  const root = ctx.doc.root.Globals;
  const section = isRecord(root) ? root[kind === 'HTTP' ? 'HttpApi' : 'Api'] : undefined;
  return isRecord(section) ? section : {};
}

/** Reads one SAM API's settings (resource properties merged with Globals) into its entry. */
function configureApi(ctx: GatewayReadContext, builder: RouteTableBuilder, entry: ApiEntry, properties: Record<string, unknown>): void {
  const { api } = entry;
  const at = ['Resources', api.id, 'Properties'];
  const props = mergeGlobal(globals(ctx, api.kind), properties) as Record<string, unknown>;
  const label = api.id;
  const stage = ctx.text(props.StageName, `${label}.StageName`);
  if (stage) api.stageName = stage;
  const variables = ctx.value(api.kind === 'HTTP' ? props.StageVariables : props.Variables, `${label} stage variables`);
  if (isRecord(variables)) api.stageVariables = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(v)]));
  const auth = isRecord(props.Auth) ? props.Auth : {};
  entry.authorizers = api.kind === 'HTTP'
    ? readSamHttpAuthorizers(ctx, auth.Authorizers, [...at, 'Auth', 'Authorizers'])
    : readSamRestAuthorizers(ctx, auth.Authorizers, [...at, 'Auth', 'Authorizers']);
  const defaultAuthorizer = ctx.text(auth.DefaultAuthorizer, `${label}.Auth.DefaultAuthorizer`);
  if (defaultAuthorizer) entry.defaultAuthorizer = defaultAuthorizer;
  entry.apiKeyRequired = ctx.value(auth.ApiKeyRequired, `${label}.Auth.ApiKeyRequired`) === true;
  if (api.kind === 'HTTP') {
    const cors = readHttpCors(ctx, props.CorsConfiguration, `${label}.CorsConfiguration`);
    if (cors) api.cors = cors;
  } else {
    const cors = readRestCors(ctx, props.Cors, `${label}.Cors`);
    if (cors) api.cors = cors;
    api.binaryMediaTypes.push(...ctx.textList(props.BinaryMediaTypes, `${label}.BinaryMediaTypes`).map(unescapeMediaType));
  }
  const body = props.DefinitionBody !== undefined
    ? { value: ctx.resolver.resolve(props.DefinitionBody), at: [...at, 'DefinitionBody'] }
    : props.DefinitionUri !== undefined ? readDefinitionUri(ctx, props.DefinitionUri, [...at, 'DefinitionUri'], label) : undefined;
  if (body) {
    const definition = readOpenApi(ctx, body.value, body.at, label, api.kind);
    if (api.kind === 'HTTP' && !api.cors && definition.cors !== undefined) {
      const cors = readHttpCors(ctx, definition.cors, `${label} x-amazon-apigateway-cors`);
      if (cors) api.cors = cors;
    }
    definition.binaryMediaTypes = definition.binaryMediaTypes.map(unescapeMediaType);
    builder.addOpenApi(entry, definition);
  }
}

/** Every SAM API of the template and every HttpApi / Api event of its functions. */
export function readSamApis(ctx: GatewayReadContext, builder: RouteTableBuilder, functionsById: Map<string, FunctionSpec>): void {
  const implicit = (kind: ApiKind): ApiEntry => {
    const existing = builder.apis.get(IMPLICIT_ID[kind]);
    if (existing) return existing;
    const entry = builder.api(IMPLICIT_ID[kind], kind);
    configureApi(ctx, builder, entry, {});
    return entry;
  };
  for (const [id, resource] of Object.entries(ctx.doc.resources)) {
    if (resource.type !== SAM_HTTP_API && resource.type !== SAM_REST_API) continue;
    const entry = builder.api(id, resource.type === SAM_HTTP_API ? 'HTTP' : 'REST', ['Resources', id]);
    configureApi(ctx, builder, entry, resource.properties);
  }
  for (const [id, resource] of Object.entries(ctx.doc.resources)) {
    const spec = functionsById.get(id);
    if (resource.type !== 'AWS::Serverless::Function' || !spec || !isRecord(resource.properties.Events)) continue;
    for (const [eventId, event] of Object.entries(resource.properties.Events)) {
      if (!isRecord(event) || (event.Type !== 'HttpApi' && event.Type !== 'Api')) continue;
      const kind: ApiKind = event.Type === 'HttpApi' ? 'HTTP' : 'REST';
      const props = isRecord(event.Properties) ? event.Properties : {};
      const at = ['Resources', id, 'Properties', 'Events', eventId];
      const label = `Event ${eventId} of ${id}`;
      const apiRef = props[kind === 'HTTP' ? 'ApiId' : 'RestApiId'];
      let entry: ApiEntry;
      if (apiRef === undefined) {
        entry = implicit(kind);
      } else {
        const apiId = ctx.referencedId(apiRef);
        const found = apiId === undefined ? undefined : builder.apis.get(apiId);
        if (!found || found.api.kind !== kind) {
          return ctx.fail([...at, 'Properties', kind === 'HTTP' ? 'ApiId' : 'RestApiId'],
            `${label} names API '${apiId ?? JSON.stringify(apiRef)}', which is not an ${kind === 'HTTP' ? SAM_HTTP_API : SAM_REST_API} of this template.`);
        }
        entry = found;
      }
      const path = ctx.text(props.Path, `${label}.Path`);
      const method = ctx.text(props.Method, `${label}.Method`);
      if (kind === 'REST' && (!path || !method)) return ctx.fail(at, `${label} (Type: Api) needs both Path and Method.`);
      const auth = isRecord(props.Auth) ? props.Auth : {};
      const authorizer = ctx.text(auth.Authorizer, `${label}.Auth.Authorizer`);
      const format = ctx.text(props.PayloadFormatVersion, `${label}.PayloadFormatVersion`);
      if (format !== undefined && format !== '1.0' && format !== '2.0') {
        return ctx.fail([...at, 'Properties', 'PayloadFormatVersion'], `${label}: PayloadFormatVersion must be "1.0" or "2.0", got '${format}'.`);
      }
      const timeout = Number(ctx.value(props.TimeoutInMillis, `${label}.TimeoutInMillis`));
      const apiKeyRequired = ctx.value(auth.ApiKeyRequired, `${label}.Auth.ApiKeyRequired`);
      builder.addRoute(entry, {
        // An HttpApi event without Path and Method is the API's $default route.
        method: method ?? 'ANY',
        path: path ?? '$default',
        target: ctx.eventFunction(spec),
        ...(format ? { payloadFormat: format as '1.0' | '2.0' } : {}),
        ...(Number.isFinite(timeout) && timeout > 0 ? { timeoutMs: timeout } : {}),
        ...(authorizer ? { authorizer } : {}),
        authorizationScopes: ctx.textList(auth.AuthorizationScopes, `${label}.Auth.AuthorizationScopes`),
        ...(typeof apiKeyRequired === 'boolean' ? { apiKeyRequired } : {}),
        at,
      });
    }
  }
}
