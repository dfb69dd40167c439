// The template's AWS::Lambda::Version, ::Alias, ::Url, ::EventSourceMapping and ::Permission resources, attached to the functions they name.
import type { FunctionSpec, TemplateAliasSpec, VersionRef } from './functionSpec';
import type { IntrinsicResolver } from './intrinsicResolver';
import { isRecord, type TemplateDocument, type TemplateResource } from './templateDocument';

interface Target {
  spec: FunctionSpec;
  /** The alias the reference names (Ref of an AWS::Lambda::Alias, or a qualified ARN). */
  qualifier?: string;
}

/** Reads the resources into the functions' specs; what names no function of the template is a warning with its location. */
export function applyLambdaResources(doc: TemplateDocument, resolver: IntrinsicResolver, functions: FunctionSpec[], warnings: string[]): void {
  const where = (id: string): string => {
    const location = doc.locate(['Resources', id]);
    return location?.line !== undefined ? `${location.file}:${location.line}` : doc.path;
  };
  const target = (reference: unknown): Target | undefined => resolveTarget(doc, resolver, functions, reference);
  const unattached = (id: string, type: string, property: string) =>
    warnings.push(`${where(id)}: ${id} (${type}) ${property} names no function of this template; it is ignored.`);
  for (const [id, resource] of Object.entries(doc.resources)) {
    const props = resource.properties;
    switch (resource.type) {
      case 'AWS::Lambda::Version': {
        const found = target(props.FunctionName);
        if (!found) unattached(id, resource.type, 'FunctionName');
        else found.spec.versions = [...(found.spec.versions ?? []), { logicalId: id, ...description(resolver, props) }];
        break;
      }
      case 'AWS::Lambda::Alias': {
        const found = target(props.FunctionName);
        const alias = found && readAlias(resolver, props);
        if (!found) unattached(id, resource.type, 'FunctionName');
        else if (!alias) warnings.push(`${where(id)}: ${id} (AWS::Lambda::Alias) needs Name and FunctionVersion that resolve locally; it is ignored.`);
        else found.spec.aliases = [...(found.spec.aliases ?? []), alias];
        break;
      }
      case 'AWS::Lambda::Url': {
        const found = target(props.TargetFunctionArn);
        if (!found) {
          unattached(id, resource.type, 'TargetFunctionArn');
          break;
        }
        const url = resolver.resolve(props);
        const settings = isRecord(url) ? url : {};
        const qualifier = typeof settings.Qualifier === 'string' ? settings.Qualifier : found.qualifier;
        found.spec.functionUrl = {
          authType: settings.AuthType === 'AWS_IAM' ? 'AWS_IAM' : 'NONE',
          invokeMode: settings.InvokeMode === 'RESPONSE_STREAM' ? 'RESPONSE_STREAM' : 'BUFFERED',
          ...(isRecord(settings.Cors) ? { cors: settings.Cors } : {}),
          ...(qualifier ? { qualifier } : {}),
        };
        break;
      }
      case 'AWS::Lambda::EventSourceMapping': {
        const found = target(props.FunctionName);
        if (!found) {
          unattached(id, resource.type, 'FunctionName');
          break;
        }
        const event = readMappingEvent(id, resolver, resource, found.qualifier);
        if (typeof event === 'string') warnings.push(`${where(id)}: ${id} (AWS::Lambda::EventSourceMapping) ${event}; it is ignored.`);
        else found.spec.events = [...found.spec.events, event];
        break;
      }
      default:
        break;
    }
  }
}

/** The event source mapping as the SAM event it is equivalent to (Queue / Stream instead of EventSourceArn). */
function readMappingEvent(id: string, resolver: IntrinsicResolver, resource: TemplateResource, qualifier: string | undefined): FunctionSpec['events'][number] | string {
  const resolved = resolver.resolve(resource.properties);
  const props = isRecord(resolved) ? { ...resolved } : {};
  const arn = props.EventSourceArn;
  if (typeof arn !== 'string') return 'has an EventSourceArn that cannot be resolved locally';
  const service = arn.split(':')[2];
  const type = service === 'sqs' ? 'SQS' : service === 'kinesis' ? 'Kinesis' : service === 'dynamodb' ? 'DynamoDB' : undefined;
  if (!type) return `reads ${arn}: only SQS queues, Kinesis streams and DynamoDB streams are polled locally`;
  delete props.EventSourceArn;
  delete props.FunctionName;
  props[type === 'SQS' ? 'Queue' : 'Stream'] = arn;
  return { id, type, properties: props, ...(qualifier ? { qualifier } : {}) };
}

function readAlias(resolver: IntrinsicResolver, props: Record<string, unknown>): TemplateAliasSpec | undefined {
  const name = resolver.resolve(props.Name);
  const version = versionRef(resolver, props.FunctionVersion);
  if (typeof name !== 'string' || !version) return undefined;
  const routing = isRecord(props.RoutingConfig) ? props.RoutingConfig.AdditionalVersionWeights : undefined;
  const weights = (Array.isArray(routing) ? routing : []).flatMap((entry) => {
    if (!isRecord(entry)) return [];
    const weighted = versionRef(resolver, entry.FunctionVersion);
    const weight = Number(resolver.resolve(entry.FunctionWeight));
    return weighted && Number.isFinite(weight) ? [{ version: weighted, weight }] : [];
  });
  return { name, version, ...description(resolver, props), ...(weights.length > 0 ? { weights } : {}) };
}

/** `!GetAtt MyVersion.Version` names a Version resource of the template; a literal is $LATEST, a number (or an alias name). */
export function versionRef(resolver: IntrinsicResolver, value: unknown): VersionRef | undefined {
  const getAtt = isRecord(value) ? value['Fn::GetAtt'] : undefined;
  const parts = typeof getAtt === 'string' ? getAtt.split('.') : getAtt;
  if (Array.isArray(parts) && parts[1] === 'Version' && typeof parts[0] === 'string') return { versionResource: parts[0] };
  const literal = resolver.resolve(value);
  if (typeof literal === 'string' || typeof literal === 'number') return { version: String(literal) };
  return undefined;
}

function description(resolver: IntrinsicResolver, props: Record<string, unknown>): { description?: string } {
  const value = resolver.resolve(props.Description);
  return typeof value === 'string' ? { description: value } : {};
}

/** Ref / GetAtt of a function or alias of the template, or a function name or (qualified) ARN. */
function resolveTarget(doc: TemplateDocument, resolver: IntrinsicResolver, functions: FunctionSpec[], reference: unknown): Target | undefined {
  const logicalId = isRecord(reference)
    ? typeof reference.Ref === 'string'
      ? reference.Ref
      : Array.isArray(reference['Fn::GetAtt']) ? reference['Fn::GetAtt'][0] : typeof reference['Fn::GetAtt'] === 'string' ? reference['Fn::GetAtt'].split('.')[0] : undefined
    : undefined;
  const resource = typeof logicalId === 'string' ? doc.resources[logicalId] : undefined;
  if (resource?.type === 'AWS::Lambda::Alias') {
    const found = resolveTarget(doc, resolver, functions, resource.properties.FunctionName);
    const name = resolver.resolve(resource.properties.Name);
    return found && typeof name === 'string' ? { spec: found.spec, qualifier: name } : undefined;
  }
  const byId = functions.find((fn) => fn.logicalId === logicalId);
  if (byId) return { spec: byId };
  const resolved = resolver.resolve(reference);
  if (typeof resolved !== 'string') return undefined;
  const arn = /:function:([^:]+)(?::(.+))?$/.exec(resolved);
  const name = arn ? (arn[1] as string) : resolved;
  const spec = functions.find((fn) => fn.functionName === name || fn.logicalId === name);
  return spec ? { spec, ...(arn?.[2] && arn[2] !== '$LATEST' ? { qualifier: arn[2] } : {}) } : undefined;
}
