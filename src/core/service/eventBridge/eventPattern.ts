// EventBridge event patterns: checked as PutRule checks them, matched as EventBridge matches them (also Lambda's event filters and SNS filter policies).
import { BlockList, isIP } from 'node:net';

export type EventPattern = Record<string, unknown>;

/** A pattern EventBridge refuses (InvalidEventPatternException); the message is the reason. */
export class EventPatternError extends Error {}

const OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists', 'wildcard', 'cidr'];
const NUMERIC_OPERATORS = ['<', '<=', '=', '>', '>='];
/** EventBridge compares numbers within ±5.0e9 (to 6 decimal places). */
const NUMERIC_LIMIT = 5e9;

/** Parses and checks a pattern; EventPatternError says what is wrong, in EventBridge's words where it has them. */
export function parseEventPattern(text: string): EventPattern {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EventPatternError(`Event pattern is not valid. Reason: ${(error as Error).message}`);
  }
  try {
    checkObject(parsed, '');
  } catch (error) {
    throw new EventPatternError(`Event pattern is not valid. Reason: ${(error as Error).message}`);
  }
  return parsed as EventPattern;
}

/**
 * Whether the event (a parsed JSON value) matches the pattern: every field of the pattern, any value of each field's list.
 * A rule this module's checks would refuse (SNS and Lambda check less) matches nothing rather than throwing.
 */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return matchObject(pattern, event);
}

function checkObject(value: unknown, path: string): void {
  if (!isObject(value)) throw new Error(path ? `Value of ${path} must be an object or an array` : 'Filter is not an object');
  for (const [key, rule] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(rule) || rule.length < 2) throw new Error('Value of $or must be an array of at least 2 objects');
      rule.forEach((alternative) => checkObject(alternative, at));
    } else if (Array.isArray(rule)) {
      if (rule.length === 0) throw new Error(`Empty arrays are not allowed (at ${at})`);
      rule.forEach((item) => checkRule(item, at));
    } else if (isObject(rule)) {
      checkObject(rule, at);
    } else {
      throw new Error(`"${key}" must be an object or an array`);
    }
  }
}

function checkRule(rule: unknown, at: string): void {
  if (rule === null || typeof rule === 'string' || typeof rule === 'boolean') return;
  if (typeof rule === 'number') return checkNumber(rule, at);
  if (!isObject(rule)) throw new Error(`Match value must be String, number, true, false, or null (at ${at})`);
  const keys = Object.keys(rule);
  if (keys.length !== 1) throw new Error(`Only one key allowed in match expression (at ${at})`);
  const operator = keys[0] as string;
  const operand = rule[operator];
  switch (operator) {
    case 'prefix':
    case 'suffix':
      if (typeof operand === 'string' || (isObject(operand) && onlyKey(operand, 'equals-ignore-case') && typeof operand['equals-ignore-case'] === 'string')) return;
      throw new Error(`${operator} match pattern must be a string or an equals-ignore-case object (at ${at})`);
    case 'equals-ignore-case':
      if (typeof operand !== 'string') throw new Error(`equals-ignore-case match pattern must be a string (at ${at})`);
      return;
    case 'exists':
      if (typeof operand !== 'boolean') throw new Error(`exists match pattern must be either true or false. (at ${at})`);
      return;
    case 'wildcard':
      return checkWildcard(operand, at);
    case 'cidr':
      if (typeof operand !== 'string' || !parseCidr(operand)) throw new Error(`Malformed CIDR, one '/' required (at ${at})`);
      return;
    case 'numeric':
      return checkNumeric(operand, at);
    case 'anything-but':
      return checkAnythingBut(operand, at);
    default:
      throw new Error(`Unrecognized match type ${operator} (at ${at}); EventBridge knows ${OPERATORS.join(', ')}`);
  }
}

function checkAnythingBut(operand: unknown, at: string): void {
  if (typeof operand === 'string') return;
  if (typeof operand === 'number') return checkNumber(operand, at);
  if (Array.isArray(operand)) {
    const allStrings = operand.every((item) => typeof item === 'string');
    const allNumbers = operand.every((item) => typeof item === 'number');
    if (operand.length > 0 && (allStrings || allNumbers)) return;
    throw new Error(`Inside anything but list, start|null|boolean is not supported. (at ${at})`);
  }
  if (isObject(operand) && Object.keys(operand).length === 1) {
    const [inner, value] = Object.entries(operand)[0] as [string, unknown];
    if ((inner === 'prefix' || inner === 'suffix') && typeof value === 'string') return;
    if ((inner === 'equals-ignore-case' || inner === 'wildcard') && (typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')))) {
      if (inner === 'wildcard') (Array.isArray(value) ? value : [value]).forEach((v) => checkWildcard(v, at));
      return;
    }
  }
  throw new Error(`Value of anything-but must be an array or single string/number value. (at ${at})`);
}

function checkNumeric(operand: unknown, at: string): void {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) {
    throw new Error(`Value of numeric must be an array of one or two comparisons (at ${at})`);
  }
  for (let i = 0; i < operand.length; i += 2) {
    const operator = operand[i];
    const value = operand[i + 1];
    if (typeof operator !== 'string' || !NUMERIC_OPERATORS.includes(operator)) throw new Error(`Unrecognized numeric range operator: ${String(operator)} (at ${at})`);
    if (typeof value !== 'number') throw new Error(`Value of ${operator} must be a number (at ${at})`);
    checkNumber(value, at);
  }
  if (operand.length === 4) {
    const [low, , high] = operand as [string, number, string, number];
    if (!low.startsWith('>') || !high.startsWith('<')) throw new Error(`Bad range: a lower bound (> or >=) must come before an upper bound (< or <=) (at ${at})`);
    if ((operand[1] as number) >= (operand[3] as number)) throw new Error(`Bottom must be less than top (at ${at})`);
  }
}

function checkNumber(value: number, at: string): void {
  if (Math.abs(value) > NUMERIC_LIMIT) throw new Error(`Value must be between -5.0E9 and 5.0E9, inclusive (at ${at})`);
}

function checkWildcard(operand: unknown, at: string): void {
  if (typeof operand !== 'string') throw new Error(`wildcard match pattern must be a string (at ${at})`);
  if (/(?<!\\)\*\*/.test(operand)) throw new Error(`Consecutive wildcard characters at pos ${operand.search(/\*\*/) + 1} (at ${at})`);
}

function matchObject(pattern: EventPattern, value: unknown): boolean {
  const object = isObject(value) ? value : {};
  return Object.entries(pattern).every(([key, rule]) => {
    if (key === '$or') return Array.isArray(rule) && rule.some((alternative) => isObject(alternative) && matchObject(alternative, value));
    const field = Object.hasOwn(object, key) ? object[key] : undefined;
    if (Array.isArray(rule)) return matchField(rule, field);
    return isObject(rule) && matchNested(rule, field);
  });
}

/** A pattern object against a field: an object, or an array whose elements are tried one by one (each on its own). */
function matchNested(pattern: EventPattern, field: unknown): boolean {
  if (Array.isArray(field) && field.length > 0) return field.some((element) => matchNested(pattern, element));
  return matchObject(pattern, Array.isArray(field) ? undefined : field);
}

/** A list of rules against a field: an array field matches when any of its values does; objects are not leaf values. */
function matchField(rules: unknown[], field: unknown): boolean {
  const values = (Array.isArray(field) ? field.flat(Infinity) : field === undefined ? [] : [field]).filter((value) => !isObject(value));
  return rules.some((rule) => {
    if (isObject(rule) && 'exists' in rule) return rule.exists === values.length > 0;
    return values.some((value) => matchValue(rule, value));
  });
}

function matchValue(rule: unknown, value: unknown): boolean {
  if (!isObject(rule)) return value === rule;
  const [operator, operand] = Object.entries(rule)[0] ?? [];
  const text = typeof value === 'string' ? value : undefined;
  const operandText = typeof operand === 'string' ? operand : undefined;
  switch (operator) {
    case 'prefix':
      return text !== undefined && affix(operand, text, (v, o) => v.startsWith(o));
    case 'suffix':
      return text !== undefined && affix(operand, text, (v, o) => v.endsWith(o));
    case 'equals-ignore-case':
      return text !== undefined && operandText !== undefined && text.toLowerCase() === operandText.toLowerCase();
    case 'wildcard':
      return text !== undefined && operandText !== undefined && wildcardMatch(operandText, text);
    case 'cidr':
      return text !== undefined && operandText !== undefined && cidrMatch(operandText, text);
    case 'numeric':
      return typeof value === 'number' && Array.isArray(operand) && numericMatch(operand, value);
    case 'anything-but':
      return !anythingButExcludes(operand, value);
    default:
      return false;
  }
}

/** Whether anything-but's operand names the value (so the value does not match). */
function anythingButExcludes(operand: unknown, value: unknown): boolean {
  if (Array.isArray(operand)) return operand.includes(value);
  if (!isObject(operand)) return operand === value;
  if (typeof value !== 'string') return false;
  const [inner, innerOperand] = Object.entries(operand)[0] ?? [];
  const list = (Array.isArray(innerOperand) ? innerOperand : [innerOperand]).filter((item): item is string => typeof item === 'string');
  switch (inner) {
    case 'prefix':
      return typeof innerOperand === 'string' && value.startsWith(innerOperand);
    case 'suffix':
      return typeof innerOperand === 'string' && value.endsWith(innerOperand);
    case 'equals-ignore-case':
      return list.some((item) => item.toLowerCase() === value.toLowerCase());
    case 'wildcard':
      return list.some((item) => wildcardMatch(item, value));
    default:
      return false;
  }
}

function affix(operand: unknown, value: string, test: (value: string, operand: string) => boolean): boolean {
  if (typeof operand === 'string') return test(value, operand);
  const ignoringCase = isObject(operand) ? operand['equals-ignore-case'] : undefined;
  return typeof ignoringCase === 'string' && test(value.toLowerCase(), ignoringCase.toLowerCase());
}

/** ["<", 10] or [">=", 0, "<", 10]. */
function numericMatch(conditions: unknown[], value: number): boolean {
  for (let i = 0; i + 1 < conditions.length; i += 2) {
    const limit = conditions[i + 1];
    if (typeof limit !== 'number') return false;
    const holds = { '<': value < limit, '<=': value <= limit, '=': value === limit, '>': value > limit, '>=': value >= limit }[conditions[i] as string];
    if (!holds) return false;
  }
  return true;
}

/** `*` matches any run of characters; `\*` is a literal star and `\\` a literal backslash. */
function wildcardMatch(pattern: string, value: string): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) source += escapeRegExp(pattern[++i] as string);
    else source += char === '*' ? '[\\s\\S]*' : escapeRegExp(char);
  }
  return new RegExp(`^${source}$`, 'u').test(value);
}

function cidrMatch(cidr: string, value: string): boolean {
  const subnet = parseCidr(cidr);
  const family = isIP(value);
  if (!subnet || family === 0) return false;
  const list = new BlockList();
  list.addSubnet(subnet.address, subnet.prefix, subnet.family);
  return list.check(value, family === 4 ? 'ipv4' : 'ipv6');
}

function parseCidr(cidr: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address, prefixText, extra] = cidr.split('/');
  const family = isIP(address ?? '');
  const prefix = Number(prefixText);
  if (extra !== undefined || family === 0 || !/^\d+$/.test(prefixText ?? '') || prefix > (family === 4 ? 32 : 128)) return undefined;
  return { address: address as string, prefix, family: family === 4 ? 'ipv4' : 'ipv6' };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function onlyKey(object: Record<string, unknown>, key: string): boolean {
  const keys = Object.keys(object);
  return keys.length === 1 && keys[0] === key;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
