// Routes from an OpenAPI DefinitionBody / Body / DefinitionUri: operations whose x-amazon-apigateway-integration is aws_proxy to a local function.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseTemplateText } from '../template/parseTemplateText';
import { isRecord, type TemplatePath } from '../template/templateDocument';
import type { ApiKind, PayloadFormat } from './gatewayModel';
import type { FunctionTarget, GatewayReadContext } from './gatewayReadContext';
import { readOpenApiSecurity, type OpenApiSecurity } from './openApiSecurity';
import { describeEscape, pathEscape } from '../common/projectRoot';
import { PROJECT_ROOT_FIX } from '../template/templatePaths';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'x-amazon-apigateway-any-method'];

export interface OpenApiRoute {
  method: string;
  path: string;
  target: FunctionTarget;
  payloadFormat?: PayloadFormat;
  timeoutMs?: number;
  /** Security requirements: scheme names (see `OpenApiDefinition.security`) with their scopes. */
  security: { name: string; scopes: string[] }[];
  at: TemplatePath;
}

export interface OpenApiDefinition {
  routes: OpenApiRoute[];
  binaryMediaTypes: string[];
  /** The definition's security schemes: authorizers, IAM and API key schemes. */
  security: OpenApiSecurity;
  /** x-amazon-apigateway-cors (HTTP APIs), raw. */
  cors?: unknown;
}

/** Reads the paths of a definition; `at` is where the definition is written in the template. */
export function readOpenApi(ctx: GatewayReadContext, body: unknown, at: TemplatePath, label: string, kind: ApiKind): OpenApiDefinition {
  const definition: OpenApiDefinition = { routes: [], binaryMediaTypes: [], security: { authorizers: new Map(), iam: new Set(), apiKeys: new Set() } };
  if (!isRecord(body)) return definition;
  definition.security = readOpenApiSecurity(ctx, body, at, label, kind);
  definition.binaryMediaTypes = ctx.textList(body['x-amazon-apigateway-binary-media-types'], `${label}.x-amazon-apigateway-binary-media-types`);
  if (body['x-amazon-apigateway-cors'] !== undefined) definition.cors = body['x-amazon-apigateway-cors'];
  const globalSecurity = Array.isArray(body.security) ? body.security : [];
  const paths = isRecord(body.paths) ? body.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue;
    for (const key of METHODS) {
      const operation = item[key];
      if (!isRecord(operation)) continue;
      const where = [...at, 'paths', path, key];
      const integration = operation['x-amazon-apigateway-integration'];
      if (!isRecord(integration)) continue;
      const type = String(ctx.text(integration.type, `${label} ${key} ${path} integration type`) ?? '').toLowerCase();
      if (type !== 'aws_proxy') {
        ctx.warnings.push(`${label}: ${key.toUpperCase()} ${path} has a ${type || 'missing'} integration; only aws_proxy (Lambda proxy) integrations run locally.`);
        continue;
      }
      const format = ctx.text(integration.payloadFormatVersion, `${label} ${path} payloadFormatVersion`);
      const timeout = Number(ctx.value(integration.timeoutInMillis, `${label} ${path} timeoutInMillis`));
      const security = Array.isArray(operation.security) ? operation.security : globalSecurity;
      definition.routes.push({
        method: key === 'x-amazon-apigateway-any-method' ? 'ANY' : key.toUpperCase(),
        path,
        target: ctx.functionTarget(integration.uri, [...where, 'x-amazon-apigateway-integration', 'uri'], `${label}: ${key.toUpperCase()} ${path}`),
        ...(format === '1.0' || format === '2.0' ? { payloadFormat: format } : {}),
        ...(Number.isFinite(timeout) && timeout > 0 ? { timeoutMs: timeout } : {}),
        security: security.filter(isRecord).flatMap((requirement) =>
          Object.entries(requirement).map(([name, scopes]) => ({ name, scopes: Array.isArray(scopes) ? scopes.map(String) : [] }))),
        at: where,
      });
    }
  }
  return definition;
}

/**
 * The OpenAPI file a SAM API's DefinitionUri names (a path relative to the template; YAML or JSON, CloudFormation
 * tags allowed, as `sam build` reads it). An S3 location is not read locally (a warning); a missing or unparsable
 * local file is a load error at the DefinitionUri.
 */
export function readDefinitionUri(ctx: GatewayReadContext, raw: unknown, at: TemplatePath, label: string): { value: unknown; at: TemplatePath } | undefined {
  const uri = ctx.text(raw, `${label}.DefinitionUri`);
  if (uri === undefined || /^s3:\/\//i.test(uri)) {
    ctx.warnings.push(`${label}: DefinitionUri in S3 is not read locally; point it at a local file or use DefinitionBody.`);
    return undefined;
  }
  const file = path.resolve(ctx.doc.dir, uri);
  const escape = pathEscape(file, [ctx.projectRoot]);
  if (escape) {
    return ctx.fail(at, `${label}: its DefinitionUri ${uri} resolves to ${describeEscape(escape)}, outside the project root ${ctx.projectRoot}.`, PROJECT_ROOT_FIX);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return ctx.fail(at, `${label}: cannot read its DefinitionUri ${uri}: ${(error as Error).message}`, 'Point DefinitionUri at an OpenAPI file beside the template.');
  }
  return { value: ctx.resolver.resolve(parseTemplateText(file, text).data), at };
}
