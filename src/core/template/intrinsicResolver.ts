// Resolves CloudFormation intrinsic functions (Ref, Fn::Sub, Fn::If, ...) well enough for local runs.
import { cidrSubnets } from './fnCidr';
import { NAME_PROPERTY, resourceAttribute, resourceRef, type ArnContext } from './resourceAttributes';
import { isRecord, type TemplateDocument, type TemplateResource } from './templateDocument';
import { NO_VALUE_PARAMETER, type ParameterValues } from './templateParameters';

/** A value that only a deployed stack could provide; `reason` says why, for warnings. */
export class Unresolved {
  constructor(readonly reason: string) {}
}

/** `Ref: AWS::NoValue`: the property or list item disappears. */
const NO_VALUE = Symbol('AWS::NoValue');

export interface ResolverInput {
  parameters: ParameterValues;
  resources: Record<string, TemplateResource>;
  mappings: Record<string, unknown>;
  conditions: Record<string, unknown>;
}

/** The first Unresolved inside a resolved value, if any. */
export function findUnresolved(value: unknown): Unresolved | undefined {
  if (value instanceof Unresolved) return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findUnresolved(item);
      if (found) return found;
    }
  } else if (isRecord(value)) {
    return findUnresolved(Object.values(value));
  }
  return undefined;
}

/** `{ "Ref": x }` or `{ "Fn::X": args }`: the function name, else undefined. */
export function intrinsicName(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  return keys[0] === 'Ref' || keys[0].startsWith('Fn::') ? keys[0] : undefined;
}

function asText(value: unknown): string | Unresolved {
  if (value instanceof Unresolved) return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return new Unresolved(`expected a string, got ${JSON.stringify(value) ?? String(value)}`);
}

function asBoolean(value: unknown, what: string): boolean | Unresolved {
  if (value instanceof Unresolved) return value;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return new Unresolved(`${what} must be a condition, got ${JSON.stringify(value)}`);
}

/** Scalars compare as text, as CloudFormation compares them. */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, comparable(item)]));
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

export class IntrinsicResolver {
  private readonly conditionResults = new Map<string, boolean | Unresolved>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly input: ResolverInput) {}

  /** The resolver of one template: its resources, Mappings and Conditions, with these parameter values. */
  static forDocument(doc: TemplateDocument, parameters: ParameterValues): IntrinsicResolver {
    return new IntrinsicResolver({
      parameters,
      resources: doc.resources,
      mappings: isRecord(doc.root.Mappings) ? doc.root.Mappings : {},
      conditions: isRecord(doc.root.Conditions) ? doc.root.Conditions : {},
    });
  }

  get arnContext(): ArnContext {
    const text = (name: string): string => String(this.input.parameters.values.get(name));
    return { partition: text('AWS::Partition'), region: text('AWS::Region'), accountId: text('AWS::AccountId'), urlSuffix: text('AWS::URLSuffix') };
  }

  /** Resolves every intrinsic inside `value`; the result may hold Unresolved leaves, or be NO_VALUE. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item)).filter((item) => item !== NO_VALUE);
    if (!isRecord(value)) return value;
    const name = intrinsicName(value);
    if (name) return this.apply(name, value[name]);
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const resolved = this.resolve(item);
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  }

  /** The value of a named condition from the Conditions section. */
  condition(name: string): boolean | Unresolved {
    const known = this.conditionResults.get(name);
    if (known !== undefined) return known;
    if (!(name in this.input.conditions)) return new Unresolved(`condition '${name}' is not declared in Conditions`);
    const result = this.guarded(`condition:${name}`, () => asBoolean(this.evaluateCondition(this.input.conditions[name]), `Condition '${name}'`));
    this.conditionResults.set(name, result);
    return result;
  }

  /** Ref: pseudo parameters, parameters, then resources (a queue's URL, a topic's ARN, else the physical name or logical id). */
  ref(name: unknown): unknown {
    if (typeof name !== 'string') return new Unresolved(`Ref needs a name, got ${JSON.stringify(name)}`);
    if (name === NO_VALUE_PARAMETER) return NO_VALUE;
    const parameter = this.input.parameters.values.get(name);
    if (parameter !== undefined) return parameter;
    if (this.input.parameters.missing.has(name)) {
      return new Unresolved(`parameter '${name}' has no Default; pass a value for it as a parameter override`);
    }
    const resource = this.input.resources[name];
    if (resource) return resourceRef(resource.type, this.physicalName(name), this.arnContext);
    return new Unresolved(`Ref to '${name}', which is neither a parameter nor a resource`);
  }

  /** The physical name of a resource: its name property when that resolves to text, else its logical id. */
  physicalName(logicalId: string): string {
    const resource = this.input.resources[logicalId];
    const property = resource ? NAME_PROPERTY[resource.type] : undefined;
    // S3 bucket names are lowercase (CloudFormation derives a lowercase name from the stack and logical id).
    if (!property || resource.properties[property] === undefined) return resource?.type === 'AWS::S3::Bucket' ? logicalId.toLowerCase() : logicalId;
    const name = this.guarded(`name:${logicalId}`, () => this.resolve(resource.properties[property]));
    return typeof name === 'string' && name !== '' ? name : logicalId;
  }

  private getAtt(args: unknown): unknown {
    const resolved = this.resolve(typeof args === 'string' ? args.split(/\.(.*)/s, 2) : args);
    if (!Array.isArray(resolved) || resolved.length !== 2) return new Unresolved(`Fn::GetAtt needs [resource, attribute], got ${JSON.stringify(args)}`);
    const [id, attribute] = resolved;
    if (typeof id !== 'string' || typeof attribute !== 'string') return findUnresolved(resolved) ?? new Unresolved('Fn::GetAtt needs strings');
    const resource = this.input.resources[id];
    if (!resource) return new Unresolved(`Fn::GetAtt to '${id}', which is not a resource of this template`);
    return resourceAttribute(resource.type, this.physicalName(id), attribute, this.arnContext)
      ?? new Unresolved(`Fn::GetAtt ${id}.${attribute} (${resource.type}) exists only in a deployed stack`);
  }

  private sub(args: unknown): unknown {
    const [template, variables] = Array.isArray(args) ? args : [args, {}];
    const text = this.resolve(template);
    if (typeof text !== 'string') return findUnresolved(text) ?? new Unresolved('Fn::Sub needs a string');
    const locals = isRecord(variables) ? (this.resolve(variables) as Record<string, unknown>) : {};
    let unresolved: Unresolved | undefined;
    const result = text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      const value = name in locals ? locals[name]
        : name.includes('.') && !this.input.parameters.values.has(name) ? this.getAtt(name)
          : this.ref(name);
      const piece = asText(value);
      if (piece instanceof Unresolved) {
        unresolved ??= piece;
        return whole;
      }
      return piece;
    });
    return unresolved ?? result;
  }

  private apply(name: string, args: unknown): unknown {
    switch (name) {
      case 'Ref': return this.ref(args);
      case 'Fn::GetAtt': return this.getAtt(args);
      case 'Fn::Sub': return this.sub(args);
      case 'Fn::If': return this.fnIf(args);
      case 'Fn::Equals': case 'Fn::And': case 'Fn::Or': case 'Fn::Not': return this.evaluateCondition({ [name]: args });
      default: return this.applyToResolved(name, this.resolve(args));
    }
  }

  /** Functions that work on fully resolved arguments. */
  private applyToResolved(name: string, args: unknown): unknown {
    const unresolved = findUnresolved(args);
    if (unresolved) return unresolved;
    const list = Array.isArray(args) ? args : [];
    switch (name) {
      case 'Fn::Join': {
        const [delimiter, items] = list;
        if (typeof delimiter !== 'string' || !Array.isArray(items)) return new Unresolved('Fn::Join needs [delimiter, [values]]');
        const texts = items.map(asText);
        return texts.find((item): item is Unresolved => item instanceof Unresolved) ?? texts.join(delimiter);
      }
      case 'Fn::Select': {
        const [index, items] = list;
        const position = Number(index);
        if (!Array.isArray(items) || !Number.isInteger(position) || position < 0 || position >= items.length) {
          return new Unresolved(`Fn::Select index ${String(index)} is out of range`);
        }
        return items[position];
      }
      case 'Fn::Split': {
        const [delimiter, source] = list;
        if (typeof delimiter !== 'string' || typeof source !== 'string') return new Unresolved('Fn::Split needs [delimiter, string]');
        return source.split(delimiter);
      }
      case 'Fn::FindInMap': return this.findInMap(list);
      case 'Fn::GetAZs': {
        const region = args === '' || args === undefined ? this.arnContext.region : String(args);
        return ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
      }
      case 'Fn::Base64': {
        const text = asText(args);
        return text instanceof Unresolved ? text : Buffer.from(text, 'utf8').toString('base64');
      }
      case 'Fn::Cidr': {
        const [block, count, bits] = list;
        return cidrSubnets(String(block), Number(count), Number(bits)) ?? new Unresolved(`Fn::Cidr ${JSON.stringify(list)} is not an IPv4 split this tool can compute`);
      }
      case 'Fn::Length': return Array.isArray(args) ? args.length : new Unresolved('Fn::Length needs a list');
      case 'Fn::ToJsonString': return JSON.stringify(args);
      case 'Fn::ImportValue': return new Unresolved(`Fn::ImportValue ${JSON.stringify(args)} needs the exporting stack, which exists only in AWS`);
      default: return new Unresolved(`${name} is not supported locally`);
    }
  }

  private findInMap(list: unknown[]): unknown {
    const [mapName, topKey, secondKey, options] = list;
    const map = this.input.mappings[String(mapName)];
    const top = isRecord(map) ? map[String(topKey)] : undefined;
    const value = isRecord(top) ? top[String(secondKey)] : undefined;
    if (value !== undefined) return value;
    if (isRecord(options) && 'DefaultValue' in options) return options.DefaultValue;
    return new Unresolved(`Fn::FindInMap found no ${String(mapName)}.${String(topKey)}.${String(secondKey)} in Mappings`);
  }

  private fnIf(args: unknown): unknown {
    if (!Array.isArray(args) || args.length !== 3 || typeof args[0] !== 'string') return new Unresolved('Fn::If needs [condition, valueIfTrue, valueIfFalse]');
    const chosen = this.condition(args[0]);
    if (chosen instanceof Unresolved) return chosen;
    return this.resolve(chosen ? args[1] : args[2]);
  }

  /** Evaluates a condition expression; `{ Condition: name }` refers to another named condition. */
  private evaluateCondition(expression: unknown): boolean | Unresolved {
    if (isRecord(expression) && typeof expression.Condition === 'string' && Object.keys(expression).length === 1) {
      return this.condition(expression.Condition);
    }
    const name = intrinsicName(expression);
    if (!name || !isRecord(expression)) return asBoolean(this.resolve(expression), 'A condition');
    const args = expression[name];
    const operands = Array.isArray(args) ? args : [];
    switch (name) {
      case 'Fn::Equals': {
        const [left, right] = operands.map((operand) => this.resolve(operand));
        const unresolved = findUnresolved([left, right]);
        return unresolved ?? JSON.stringify(comparable(left)) === JSON.stringify(comparable(right));
      }
      case 'Fn::Not': {
        const inner = this.evaluateCondition(operands[0]);
        return inner instanceof Unresolved ? inner : !inner;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const results = operands.map((operand) => this.evaluateCondition(operand));
        const unresolved = results.find((result): result is Unresolved => result instanceof Unresolved);
        if (unresolved) return unresolved;
        return name === 'Fn::And' ? results.every(Boolean) : results.some(Boolean);
      }
      default:
        return asBoolean(this.resolve(expression), 'A condition');
    }
  }

  /** Runs `work` unless the same key is already being resolved (a reference cycle). */
  private guarded<T>(key: string, work: () => T): T | Unresolved {
    if (this.inProgress.has(key)) return new Unresolved(`circular reference through ${key}`);
    this.inProgress.add(key);
    try {
      return work();
    } finally {
      this.inProgress.delete(key);
    }
  }
}
