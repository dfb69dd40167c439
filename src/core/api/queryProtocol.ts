// AWS's query protocol, driven by the service model: form parameters (Attribute.1.Name=...) into an input, an output into the XML answer.
import { XMLBuilder } from 'fast-xml-parser';
import type { ModelShape, ProtocolModel } from './lambda/modelTypes';

/** The operation's input from the form parameters, member names and nesting as the model's query serialisation puts them. */
export function decodeQueryInput(shapes: Record<string, ModelShape>, inputShape: string, params: URLSearchParams): Record<string, unknown> {
  const keys = [...params.keys()];
  const decoded = decodeShape(shapes, inputShape, '', params, keys, false);
  return (decoded ?? {}) as Record<string, unknown>;
}

function decodeShape(shapes: Record<string, ModelShape>, shapeName: string, prefix: string, params: URLSearchParams, keys: string[], memberFlattened: boolean): unknown {
  const shape = shapes[shapeName];
  if (!shape) return undefined;
  switch (shape.type) {
    case 'structure': {
      const result: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        const key = join(prefix, member.locationName ?? name);
        const value = decodeShape(shapes, member.shape, key, params, keys, member.flattened === true);
        if (value !== undefined) result[name] = value;
      }
      return prefix === '' || Object.keys(result).length > 0 ? result : undefined;
    }
    case 'list': {
      const flattened = shape.flattened === true || memberFlattened;
      const listPrefix = flattened
        ? shape.memberName ? join(prefix.split('.').slice(0, -1).join('.'), shape.memberName) : prefix
        : join(prefix, shape.memberName ?? 'member');
      const items: unknown[] = [];
      for (let index = 1; present(keys, `${listPrefix}.${index}`); index++) {
        items.push(decodeShape(shapes, shape.member ?? '', `${listPrefix}.${index}`, params, keys, false));
      }
      // An empty list is sent as the bare name with an empty value.
      return items.length > 0 ? items : params.get(prefix) === '' ? [] : undefined;
    }
    case 'map': {
      const entries = shape.flattened === true || memberFlattened ? prefix : join(prefix, 'entry');
      const result: Record<string, unknown> = {};
      let found = false;
      for (let index = 1; present(keys, `${entries}.${index}`); index++) {
        const key = params.get(`${entries}.${index}.${shape.keyName ?? 'key'}`);
        const value = decodeShape(shapes, shape.value ?? '', `${entries}.${index}.${shape.valueName ?? 'value'}`, params, keys, false);
        if (key !== null) result[key] = value;
        found = true;
      }
      return found ? result : undefined;
    }
    default: {
      const text = params.get(prefix);
      if (text === null) return undefined;
      if ((shape.type === 'integer' || shape.type === 'long') && /^-?\d+$/.test(text)) return Number(text);
      if (shape.type === 'double' && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
      if (shape.type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
      return text;
    }
  }
}

function join(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

function present(keys: string[], prefix: string): boolean {
  return keys.some((key) => key === prefix || key.startsWith(`${prefix}.`));
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false });

/** <OperationResponse xmlns=...><OperationResult>...</OperationResult><ResponseMetadata><RequestId/></ResponseMetadata></OperationResponse> */
export function queryResponseXml(model: ProtocolModel, operationName: string, output: Record<string, unknown> | undefined, requestId: string): string {
  const operation = model.operations[operationName];
  const body: Record<string, unknown> = {};
  if (model.metadata.xmlNamespace) body['@_xmlns'] = model.metadata.xmlNamespace;
  if (operation?.output && operation.resultWrapper) {
    body[operation.resultWrapper] = encodeStructure(model.shapes, operation.output, output ?? {});
  }
  body.ResponseMetadata = { RequestId: requestId };
  return `<?xml version="1.0"?>${builder.build({ [`${operationName}Response`]: body }) as string}`;
}

/** The query protocol's error document. */
export function queryErrorXml(model: ProtocolModel, error: { code: string; message: string; sender: boolean }, requestId: string): string {
  const document = {
    ErrorResponse: {
      ...(model.metadata.xmlNamespace ? { '@_xmlns': model.metadata.xmlNamespace } : {}),
      Error: { Type: error.sender ? 'Sender' : 'Receiver', Code: error.code, Message: error.message, Detail: '' },
      RequestId: requestId,
    },
  };
  return `<?xml version="1.0"?>${builder.build(document) as string}`;
}

function encodeStructure(shapes: Record<string, ModelShape>, shapeName: string, value: Record<string, unknown>): Record<string, unknown> {
  const shape = shapes[shapeName];
  const element: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(shape?.members ?? {})) {
    const memberValue = value[name];
    if (memberValue === undefined || memberValue === null) continue;
    const memberShape = shapes[member.shape];
    const elementName = member.locationName ?? name;
    if (memberShape?.type === 'list' && (memberShape.flattened || member.flattened)) {
      element[memberShape.memberName ?? elementName] = (memberValue as unknown[]).map((item) => encodeValue(shapes, memberShape.member ?? '', item));
    } else if (memberShape?.type === 'map' && (memberShape.flattened || member.flattened)) {
      element[elementName] = mapEntries(shapes, memberShape, memberValue as Record<string, unknown>);
    } else {
      element[elementName] = encodeValue(shapes, member.shape, memberValue);
    }
  }
  return element;
}

function encodeValue(shapes: Record<string, ModelShape>, shapeName: string, value: unknown): unknown {
  const shape = shapes[shapeName];
  switch (shape?.type) {
    case 'structure':
      return encodeStructure(shapes, shapeName, value as Record<string, unknown>);
    case 'list':
      return { [shape.memberName ?? 'member']: (value as unknown[]).map((item) => encodeValue(shapes, shape.member ?? '', item)) };
    case 'map':
      return { entry: mapEntries(shapes, shape, value as Record<string, unknown>) };
    case 'timestamp':
      return value instanceof Date ? value.toISOString() : String(value);
    case 'blob':
      return Buffer.isBuffer(value) ? value.toString('base64') : String(value);
    default:
      return String(value);
  }
}

function mapEntries(shapes: Record<string, ModelShape>, shape: ModelShape, value: Record<string, unknown>): Record<string, unknown>[] {
  return Object.entries(value).map(([key, item]) => ({
    [shape.keyName ?? 'key']: key,
    [shape.valueName ?? 'value']: encodeValue(shapes, shape.value ?? '', item),
  }));
}
