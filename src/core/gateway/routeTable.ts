// Reads the API Gateway route table of a workspace's templates: SAM APIs and events, CloudFormation APIs, OpenAPI bodies.
import type { FunctionRegistry } from '../service/functionRegistry';
import { IntrinsicResolver } from '../template/intrinsicResolver';
import type { FunctionSpec } from '../template/functionSpec';
import { readTemplateDocument } from '../template/templateDocument';
import { parameterValues } from '../template/templateParameters';
import { readHttpApiResources, readRestApiResources } from './cfnApis';
import type { GatewayApi, GatewayRoute } from './gatewayModel';
import { GatewayReadContext } from './gatewayReadContext';
import { RouteTableBuilder } from './routeTableBuilder';
import { readSamApis } from './samApis';
import { defaultProjectRoot } from '../common/projectRoot';

export interface RouteTable {
  apis: GatewayApi[];
  routes: GatewayRoute[];
  /** Parts of the templates that are ignored or defaulted locally. */
  warnings: string[];
}

export interface RouteTableOptions {
  parameterOverrides?: Record<string, string>;
  /** API keys accepted in addition to the template's AWS::ApiGateway::ApiKey values. */
  apiKeys?: string[];
}

/** Errors: TEMPLATE_INVALID (with file:line) for a route whose function, API or authorizer is not in the template. */
export async function readRouteTable(registry: FunctionRegistry, options: RouteTableOptions = {}): Promise<RouteTable> {
  const specs = registry.list();
  const templates = [...new Set(specs.flatMap((spec) => (spec.templatePath ? [spec.templatePath] : [])))];
  const table: RouteTable = { apis: [], routes: [], warnings: [] };
  for (const templatePath of templates) {
    const doc = await readTemplateDocument(templatePath);
    const resolver = IntrinsicResolver.forDocument(doc, parameterValues(doc, options.parameterOverrides ?? {}, table.warnings));
    const ownFunctions = specs.filter((spec) => spec.templatePath === templatePath);
    const byName = (name: string): FunctionSpec | undefined => ownFunctions.find((spec) => spec.functionName === name || spec.logicalId === name);
    const ctx = new GatewayReadContext(doc, ownFunctions[0]?.projectRoot ?? defaultProjectRoot(templatePath), resolver, byName, table.warnings);
    const builder = new RouteTableBuilder(ctx);
    readSamApis(ctx, builder, new Map(ownFunctions.map((spec) => [spec.logicalId, spec])));
    readHttpApiResources(ctx, builder);
    readRestApiResources(ctx, builder);
    for (const { api } of builder.apis.values()) {
      api.apiKeys.push(...(options.apiKeys ?? []));
      table.apis.push(api);
    }
    table.routes.push(...builder.routes);
  }
  return table;
}
