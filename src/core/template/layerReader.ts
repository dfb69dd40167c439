// Reads layer resources (AWS::Serverless::LayerVersion, AWS::Lambda::LayerVersion) and a function's Layers list.
import { cdkAssetDir } from './functionCode';
import type { LayerSpec } from './functionSpec';
import { findUnresolved, type IntrinsicResolver } from './intrinsicResolver';
import { PropertyReader } from './propertyReader';
import { isRecord, type TemplateDocument, type TemplateResource } from './templateDocument';
import { templateLocalPath, type TemplatePathContext } from './templatePaths';

const LAYER_TYPES = new Set(['AWS::Serverless::LayerVersion', 'AWS::Lambda::LayerVersion']);

function readLayer(paths: TemplatePathContext, reader: PropertyReader, resource: TemplateResource): LayerSpec {
  const property = resource.type === 'AWS::Serverless::LayerVersion' ? 'ContentUri' : 'Content';
  const content = reader.get(property);
  const compatibleRuntimes = reader.textList('CompatibleRuntimes');
  const layer: LayerSpec = { ref: reader.logicalId, ...(compatibleRuntimes ? { compatibleRuntimes } : {}) };
  const asset = cdkAssetDir(reader, resource.metadata, paths, property);
  if (asset) return { ...layer, contentDir: asset };
  if (typeof content === 'string' && !/^s3:\/\//i.test(content)) return { ...layer, contentDir: templateLocalPath(reader, property, content, paths) };
  if (content === undefined) {
    reader.warn(`Layer ${reader.logicalId} has no ${property}; it adds no files locally.`);
  } else {
    reader.warn(`Layer ${reader.logicalId} has its content in S3, which is not available locally; it adds no files.`);
  }
  return layer;
}

/** Every layer declared in the template, by logical id; content outside `projectRoot` fails the template. */
export function readLayers(doc: TemplateDocument, resolver: IntrinsicResolver, warnings: string[], projectRoot: string): Record<string, LayerSpec> {
  const layers: Record<string, LayerSpec> = {};
  for (const [id, resource] of Object.entries(doc.resources)) {
    if (!LAYER_TYPES.has(resource.type)) continue;
    const properties = resolver.resolve(resource.properties);
    const reader = new PropertyReader(doc, id, isRecord(properties) ? properties : {}, warnings);
    layers[id] = readLayer({ templateDir: doc.dir, projectRoot }, reader, resource);
  }
  return layers;
}

/** A function's Layers: `!Ref` to a layer of this template gives its local content; anything else is kept as an ARN. */
export function readFunctionLayers(rawLayers: unknown, reader: PropertyReader, resolver: IntrinsicResolver, layers: Record<string, LayerSpec>): LayerSpec[] {
  if (rawLayers === undefined || rawLayers === null) return [];
  if (!Array.isArray(rawLayers)) return reader.fail('Layers', `Layers of ${reader.logicalId} must be a list.`);
  const result: LayerSpec[] = [];
  rawLayers.forEach((item, index) => {
    if (isRecord(item) && typeof item.Ref === 'string' && layers[item.Ref]) {
      result.push(layers[item.Ref]);
      return;
    }
    const resolved = resolver.resolve(item);
    const unresolved = findUnresolved(resolved);
    if (typeof resolved === 'string') {
      result.push({ ref: resolved, location: reader.location(['Layers', index]) });
    } else {
      reader.warn(`Layers[${index}] of ${reader.logicalId} is ignored: ${unresolved?.reason ?? `expected a layer ARN, got ${JSON.stringify(resolved)}`}.`);
    }
  });
  return result;
}
