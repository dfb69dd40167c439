// A small JSON Schema validator (the subset the sample event schemas use) that reports the node of each violation.
import { WorkbenchError } from '../common/errors';
import type { JsonNode } from './jsonTree';

export type SchemaType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

export interface JsonSchema {
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  type?: SchemaType | SchemaType[];
  required?: string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
}

const SUPPORTED_KEYWORDS = new Set<string>([
  '$schema', '$id', 'title', 'description', 'type', 'required', 'properties', 'additionalProperties', 'items',
  'enum', 'const', 'pattern', 'minLength', 'minItems', 'maxItems', 'minimum', 'maximum', 'anyOf',
]);

/** One violation: the offending node and a readable path such as `Records[0].s3.bucket.name`. */
export interface SchemaViolation {
  message: string;
  path: string;
  offset: number;
  length: number;
}

/** Rejects schemas that use keywords this validator does not implement, so a shipped schema never silently passes. */
export function checkSchemaKeywords(schema: JsonSchema, where = '#'): void {
  for (const keyword of Object.keys(schema)) {
    if (!SUPPORTED_KEYWORDS.has(keyword)) {
      throw new WorkbenchError('EVENT_INVALID', `Unsupported JSON Schema keyword '${keyword}' at ${where}`, {
        hint: `Supported keywords: ${[...SUPPORTED_KEYWORDS].join(', ')}.`,
      });
    }
  }
  for (const [name, child] of Object.entries(schema.properties ?? {})) checkSchemaKeywords(child, `${where}/properties/${name}`);
  if (typeof schema.additionalProperties === 'object') checkSchemaKeywords(schema.additionalProperties, `${where}/additionalProperties`);
  if (schema.items) checkSchemaKeywords(schema.items, `${where}/items`);
  schema.anyOf?.forEach((child, i) => checkSchemaKeywords(child, `${where}/anyOf/${i}`));
}

/** The plain value of a node, for enum and const comparison. */
export function nodeValue(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object':
      return Object.fromEntries(node.properties.map((p) => [p.key, nodeValue(p.value)]));
    case 'array':
      return node.items.map(nodeValue);
    case 'null':
      return null;
    default:
      return node.value;
  }
}

function typeMatches(node: JsonNode, type: SchemaType): boolean {
  if (type === 'integer') return node.kind === 'number' && Number.isInteger(node.value);
  return node.kind === type;
}

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const name = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  return path === '' ? name : /^[A-Za-z_$]/.test(name) ? `${path}.${name}` : `${path}[${name}]`;
}

/** Validates a parsed tree against a schema; returns every violation found (depth first). */
export function validateTree(node: JsonNode, schema: JsonSchema, path = ''): SchemaViolation[] {
  const violations: SchemaViolation[] = [];
  const report = (message: string, at: { offset: number; length: number } = node): void => {
    violations.push({ message, path, offset: at.offset, length: at.length });
  };
  const label = path === '' ? 'The event' : `'${path}'`;

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(node, t))) {
      report(`${label} must be ${types.join(' or ')}, not ${node.kind}`);
      return violations;
    }
  }
  if (schema.const !== undefined && JSON.stringify(nodeValue(node)) !== JSON.stringify(schema.const)) {
    report(`${label} must be ${JSON.stringify(schema.const)}`);
  }
  if (schema.enum && !schema.enum.some((v) => JSON.stringify(v) === JSON.stringify(nodeValue(node)))) {
    report(`${label} must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  if (schema.anyOf && !schema.anyOf.some((alternative) => validateTree(node, alternative, path).length === 0)) {
    report(`${label} does not match any of the allowed shapes`);
  }

  if (node.kind === 'string') {
    if (schema.minLength !== undefined && node.value.length < schema.minLength) {
      report(`${label} must have at least ${schema.minLength} character(s)`);
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(node.value)) {
      report(`${label} must match the pattern ${schema.pattern}`);
    }
  }
  if (node.kind === 'number') {
    if (schema.minimum !== undefined && node.value < schema.minimum) report(`${label} must be >= ${schema.minimum}`);
    if (schema.maximum !== undefined && node.value > schema.maximum) report(`${label} must be <= ${schema.maximum}`);
  }
  if (node.kind === 'array') {
    if (schema.minItems !== undefined && node.items.length < schema.minItems) {
      report(`${label} must have at least ${schema.minItems} item(s)`);
    }
    if (schema.maxItems !== undefined && node.items.length > schema.maxItems) {
      report(`${label} must have at most ${schema.maxItems} item(s)`);
    }
    if (schema.items) {
      node.items.forEach((item, i) => violations.push(...validateTree(item, schema.items as JsonSchema, childPath(path, i))));
    }
  }
  if (node.kind === 'object') {
    const present = new Map(node.properties.map((p) => [p.key, p]));
    for (const name of schema.required ?? []) {
      if (!present.has(name)) report(`${label} is missing the required property '${name}'`);
    }
    for (const property of node.properties) {
      const propertySchema = schema.properties?.[property.key];
      const propertyPath = childPath(path, property.key);
      if (propertySchema) {
        violations.push(...validateTree(property.value, propertySchema, propertyPath));
      } else if (schema.additionalProperties === false) {
        violations.push({
          message: `Property '${property.key}' is not allowed here`,
          path: propertyPath,
          offset: property.keyOffset,
          length: property.key.length + 2,
        });
      } else if (typeof schema.additionalProperties === 'object') {
        violations.push(...validateTree(property.value, schema.additionalProperties, propertyPath));
      }
    }
  }
  return violations;
}
