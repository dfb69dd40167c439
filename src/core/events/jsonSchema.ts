// JSON Schema validation with ajv, its errors mapped to the jsonc-parser tree: a readable path, a sentence, and the offending node's position.
import Ajv, { type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';
import { WorkbenchError } from '../common/errors';
import { nodeValue, type JsonNode } from './jsonTree';

export type JsonSchema = SchemaObject;

/** One violation: the offending node and a readable path such as `Records[0].s3.bucket.name`. */
export interface SchemaViolation {
  message: string;
  path: string;
  offset: number;
  length: number;
}

let ajv: Ajv | undefined;
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

/**
 * Compiles a schema once. ajv's strict mode refuses keywords it does not know, so a shipped schema never silently
 * passes: such a schema is an EVENT_INVALID error naming where it is.
 */
export function compileSchema(schema: JsonSchema, where = '#'): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    ajv ??= new Ajv({ allErrors: true, verbose: true, strictSchema: true, strictTypes: false, strictTuples: false, strictRequired: false });
    try {
      validate = ajv.compile(schema);
    } catch (error) {
      throw new WorkbenchError('EVENT_INVALID', `Invalid JSON Schema ${where}: ${(error as Error).message}`, { cause: error });
    }
    compiled.set(schema, validate);
  }
  return validate;
}

/** Validates a parsed tree against a schema; returns every violation, in document order. */
export function validateTree(tree: JsonNode, schema: JsonSchema): SchemaViolation[] {
  const validate = compileSchema(schema);
  if (validate(nodeValue(tree))) return [];
  const errors = relevantErrors(validate.errors ?? []);
  return errors
    .map((error) => violation(tree, error))
    .map((v, index) => ({ v, index }))
    .sort((a, b) => a.v.offset - b.v.offset || a.index - b.index)
    .map(({ v }) => v);
}

/**
 * What a person needs to read: a value of the wrong type reports only that (not what else its subtree breaks), and a
 * value that matches none of anyOf's shapes reports that, not every branch's own complaints.
 */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const wrongType = errors.filter((error) => error.keyword === 'type').map((error) => error.instancePath);
  const insideWrongType = (path: string) => wrongType.some((typed) => path === typed || path.startsWith(`${typed}/`));
  return errors.filter((error) => {
    if (/\/anyOf\/\d+\//.test(error.schemaPath)) return false;
    return error.keyword === 'type' || !insideWrongType(error.instancePath);
  });
}

function violation(tree: JsonNode, error: ErrorObject): SchemaViolation {
  const { node, segments } = locate(tree, error.instancePath);
  const path = readablePath(segments);
  const label = path === '' ? 'The event' : `'${path}'`;
  const at = (message: string): SchemaViolation => ({ message, path, offset: node.offset, length: node.length });
  const schema = error.schema as unknown;
  switch (error.keyword) {
    case 'type':
      return at(`${label} must be ${[schema].flat().join(' or ')}, not ${node.type}`);
    case 'const':
      return at(`${label} must be ${JSON.stringify(schema)}`);
    case 'enum':
      return at(`${label} must be one of ${(schema as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`);
    case 'anyOf':
      return at(`${label} does not match any of the allowed shapes`);
    case 'minLength':
      return at(`${label} must have at least ${String(schema)} character(s)`);
    case 'pattern':
      return at(`${label} must match the pattern ${String(schema)}`);
    case 'minimum':
      return at(`${label} must be >= ${String(schema)}`);
    case 'maximum':
      return at(`${label} must be <= ${String(schema)}`);
    case 'minItems':
      return at(`${label} must have at least ${String(schema)} item(s)`);
    case 'maxItems':
      return at(`${label} must have at most ${String(schema)} item(s)`);
    case 'required':
      return at(`${label} is missing the required property '${String(error.params.missingProperty)}'`);
    case 'additionalProperties': {
      // Points at the property's name (quotes included), the way an editor underlines it.
      const name = String(error.params.additionalProperty);
      const key = node.children?.find((property) => property.children?.[0]?.value === name)?.children?.[0] ?? node;
      return { message: `Property '${name}' is not allowed here`, path: readablePath([...segments, name]), offset: key.offset, length: key.length };
    }
    default:
      return at(`${label} ${error.message ?? `breaks the schema's ${error.keyword}`}`);
  }
}

/** The node at a JSON pointer (ajv's instancePath) and its path segments, array indices as numbers. */
function locate(tree: JsonNode, pointer: string): { node: JsonNode; segments: (string | number)[] } {
  let node = tree;
  const segments: (string | number)[] = [];
  for (const raw of pointer === '' ? [] : pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const children = node.children ?? [];
    if (node.type === 'array') {
      const index = Number(key);
      segments.push(index);
      node = children[index] ?? node;
    } else {
      segments.push(key);
      node = children.find((property) => property.children?.[0]?.value === key)?.children?.[1] ?? node;
    }
  }
  return { node, segments };
}

/** `Records[0].s3.bucket.name`; names that are not identifiers are quoted: `headers["x-id"]`. */
function readablePath(segments: (string | number)[]): string {
  let path = '';
  for (const key of segments) {
    if (typeof key === 'number') {
      path += `[${key}]`;
      continue;
    }
    const name = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
    path = path === '' ? name : /^[A-Za-z_$]/.test(name) ? `${path}.${name}` : `${path}[${name}]`;
  }
  return path;
}
