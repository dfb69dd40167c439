// Model-driven REST-JSON: finds the operation of a request (method + URI template), gathers its input, validates it as AWS does.
import { ServiceError } from '../../service/invocation';
import type { ModelMember, ModelOperation, ModelShape } from './modelTypes';

export interface OperationMatch {
  name: string;
  operation: ModelOperation;
  /** URI labels, decoded. */
  labels: Record<string, string>;
}

interface CompiledRoute {
  name: string;
  operation: ModelOperation;
  regex: RegExp;
  labelNames: string[];
  /** The query parameters the operation's URI fixes (`?Action=...`), as entries. */
  fixedQuery: [string, string][];
}

/** Routes requests to operations by their HTTP binding; operations with a fixed query parameter are tried first. */
export class OperationRouter {
  /** Per HTTP method, in the order they are tried. */
  private readonly routes = new Map<string, CompiledRoute[]>();
  /** The first path segments the model uses (API versions such as 2015-03-31). */
  private readonly pathPrefixes: Set<string>;

  constructor(operations: Record<string, ModelOperation>) {
    const compiled = Object.entries(operations)
      .map(([name, operation]) => compileRoute(name, operation))
      .sort((a, b) => Number(b.fixedQuery.length > 0) - Number(a.fixedQuery.length > 0));
    for (const route of compiled) {
      const routes = this.routes.get(route.operation.method);
      if (routes) routes.push(route);
      else this.routes.set(route.operation.method, [route]);
    }
    this.pathPrefixes = new Set(Object.values(operations).map((operation) => operation.uri.split('/')[1] ?? ''));
  }

  /** Whether a request for `path` belongs to this service: its first segment is one the model uses. */
  serves(path: string): boolean {
    const end = path.indexOf('/', 1);
    return this.pathPrefixes.has(end === -1 ? path.slice(1) : path.slice(1, end));
  }

  match(method: string, path: string, query: URLSearchParams): OperationMatch | undefined {
    const normalized = path.length > 1 && path.endsWith('/') ? path.replace(/\/+$/, '') : path;
    for (const route of this.routes.get(method) ?? []) {
      const found = route.regex.exec(normalized);
      if (!found) continue;
      if (!route.fixedQuery.every(([key, value]) => query.get(key) === value)) continue;
      const labels: Record<string, string> = {};
      for (let index = 0; index < route.labelNames.length; index++) {
        labels[route.labelNames[index] as string] = decodeLabel(found[index + 1] ?? '');
      }
      return { name: route.name, operation: route.operation, labels };
    }
    return undefined;
  }
}

function compileRoute(name: string, operation: ModelOperation): CompiledRoute {
  const labelNames: string[] = [];
  const template = operation.uri.length > 1 ? operation.uri.replace(/\/+$/, '') : operation.uri;
  const source = template.split(/(\{[^}]+\})/).map((part) => {
    const label = /^\{([^}+]+)(\+?)\}$/.exec(part);
    if (!label) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    labelNames.push(label[1] as string);
    return label[2] ? '(.+)' : '([^/]+)';
  }).join('');
  return { name, operation, regex: new RegExp(`^${source}$`), labelNames, fixedQuery: Object.entries(operation.fixedQuery ?? {}) };
}

function decodeLabel(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export interface RequestParts {
  labels: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (undefined when the request has none). */
  body: Record<string, unknown> | undefined;
}

/** The operation's input, members taken from where the HTTP binding puts them. */
export function gatherInput(shapes: Record<string, ModelShape>, inputShape: string, parts: RequestParts): Record<string, unknown> {
  const shape = shapes[inputShape];
  const input: Record<string, unknown> = {};
  for (const [name, member] of membersOf(shape)) {
    const value = memberValue(shapes, name, member, parts);
    if (value !== undefined) input[name] = value;
  }
  return input;
}

function memberValue(shapes: Record<string, ModelShape>, name: string, member: ModelMember, parts: RequestParts): unknown {
  const locationName = member.locationName ?? name;
  const type = shapes[member.shape]?.type;
  switch (member.location) {
    case 'uri': {
      const value = parts.labels[locationName];
      return value === undefined ? undefined : scalarFromText(type, value);
    }
    case 'querystring': {
      if (type === 'list') return parts.query.has(locationName) ? parts.query.getAll(locationName) : undefined;
      const value = parts.query.get(locationName);
      return value === null ? undefined : scalarFromText(type, value);
    }
    case 'header': {
      const raw = parts.headers[locationName.toLowerCase()];
      const value = Array.isArray(raw) ? raw[0] : raw;
      return value === undefined ? undefined : scalarFromText(type, value);
    }
    case undefined:
      return parts.body?.[name];
    default:
      return undefined;
  }
}

/** Query strings and headers carry text; numbers and booleans are read from it (anything else stays text and fails validation). */
function scalarFromText(type: ModelShape['type'] | undefined, value: string): unknown {
  if ((type === 'integer' || type === 'long') && /^-?\d+$/.test(value)) return Number(value);
  if (type === 'double' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** Validates the input; throws AWS's ValidationException ("1 validation error detected: Value '...' at '...' ...") on failure. */
export function validateInput(shapes: Record<string, ModelShape>, inputShape: string, input: Record<string, unknown>): void {
  const errors: string[] = [];
  validateValue(shapes, inputShape, input, '', errors);
  if (errors.length === 0) return;
  const count = errors.length === 1 ? '1 validation error detected' : `${errors.length} validation errors detected`;
  throw new ServiceError('ValidationException', `${count}: ${errors.join('; ')}`, { Type: 'User' });
}

function validateValue(shapes: Record<string, ModelShape>, shapeName: string, value: unknown, path: string, errors: string[]): void {
  const shape = shapes[shapeName];
  if (!shape || value === undefined || value === null) return;
  const fail = (constraint: string): void => {
    errors.push(`Value ${display(value)} at '${path}' failed to satisfy constraint: ${constraint}`);
  };
  switch (shape.type) {
    case 'structure': {
      if (!isObject(value)) return fail('Member must be a structure');
      for (const required of shape.required ?? []) {
        if (value[required] === undefined || value[required] === null) {
          errors.push(`Value null at '${memberPath(path, required)}' failed to satisfy constraint: Member must not be null`);
        }
      }
      for (const [name, member] of membersOf(shape)) {
        const memberValue = value[name];
        if (memberValue !== undefined && memberValue !== null) validateValue(shapes, member.shape, memberValue, memberPath(path, name), errors);
      }
      return;
    }
    case 'string': {
      if (typeof value !== 'string') return fail('Member must be a string');
      if (shape.enum && !shape.enum.includes(value)) return fail(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      if (shape.min !== undefined || shape.max !== undefined) lengthChecks(shape, codePoints(value), fail);
      const pattern = shape.pattern === undefined ? undefined : compiledPattern(shape.pattern);
      if (pattern && !pattern.test(value)) fail(`Member must satisfy regular expression pattern: ${shape.pattern}`);
      return;
    }
    case 'integer':
    case 'long':
    case 'double': {
      if (typeof value !== 'number' || (shape.type !== 'double' && !Number.isInteger(value))) return fail(`Member must be ${shape.type === 'double' ? 'a number' : 'an integer'}`);
      if (shape.min !== undefined && value < shape.min) fail(`Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) fail(`Member must have value less than or equal to ${shape.max}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') fail('Member must be a boolean');
      return;
    case 'blob':
      if (typeof value !== 'string' && !Buffer.isBuffer(value)) fail('Member must be a base64-encoded blob');
      return;
    case 'list': {
      if (!Array.isArray(value)) return fail('Member must be a list');
      lengthChecks(shape, value.length, fail);
      value.forEach((item, index) => validateValue(shapes, shape.member ?? '', item, `${path}.${index + 1}.member`, errors));
      return;
    }
    case 'map': {
      if (!isObject(value)) return fail('Member must be a map');
      lengthChecks(shape, Object.keys(value).length, fail);
      for (const [key, item] of Object.entries(value)) {
        const keyErrors: string[] = [];
        validateValue(shapes, shape.key ?? '', key, path, keyErrors);
        if (keyErrors.length > 0) fail(`Map keys must satisfy constraint: [${keyErrors.map(constraintOf).join(', ')}]`);
        const valueErrors: string[] = [];
        validateValue(shapes, shape.value ?? '', item, path, valueErrors);
        if (valueErrors.length > 0) fail(`Map value must satisfy constraint: [${valueErrors.map(constraintOf).join(', ')}]`);
      }
      return;
    }
    default:
      return;
  }
}

const memberLists = new WeakMap<ModelShape, [string, ModelMember][]>();

/** A structure's members as entries, listed once per shape (every request of an operation walks them). */
function membersOf(shape: ModelShape | undefined): [string, ModelMember][] {
  if (shape === undefined) return [];
  let members = memberLists.get(shape);
  if (members === undefined) {
    members = Object.entries(shape.members ?? {});
    memberLists.set(shape, members);
  }
  return members;
}

/** A string's length in code points, as `[...text].length` counts it (a lone surrogate is one), without the array. */
function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

function lengthChecks(shape: ModelShape, length: number, fail: (constraint: string) => void): void {
  if (shape.min !== undefined && length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`);
}

function constraintOf(error: string): string {
  return error.slice(error.indexOf('failed to satisfy constraint: ') + 'failed to satisfy constraint: '.length);
}

/** Member paths as AWS writes them: lower camel case, dotted (routingConfig.additionalVersionWeights). */
function memberPath(parent: string, member: string): string {
  const name = member.charAt(0).toLowerCase() + member.slice(1);
  return parent ? `${parent}.${name}` : name;
}

/** Values as AWS's messages show them (Java's toString): 'text', 12, [a, b], {k=v}. */
function display(value: unknown): string {
  return `'${text(value)}'`;
}

function text(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(text).join(', ')}]`;
  if (isObject(value)) return `{${Object.entries(value).map(([k, v]) => `${k}=${text(v)}`).join(', ')}}`;
  return String(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

const patterns = new Map<string, RegExp | undefined>();

/** AWS patterns must match the whole value; Java-only syntax that JavaScript cannot compile is skipped rather than guessed. */
function compiledPattern(pattern: string): RegExp | undefined {
  if (!patterns.has(pattern)) {
    let compiled: RegExp | undefined;
    for (const flags of ['u', '']) {
      try {
        compiled = new RegExp(`^(?:${pattern})$`, flags);
        break;
      } catch {
        compiled = undefined;
      }
    }
    patterns.set(pattern, compiled);
  }
  return patterns.get(pattern);
}
