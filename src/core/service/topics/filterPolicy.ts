// SNS subscription filter policies: checked when set (InvalidParameter), matched against a message's attributes or its JSON body.
import { matchesEventPattern } from '../eventBridge/eventPattern';
import type { MessageAttributeValue } from '../eventSources/localQueue';

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

const OPERATORS = ['prefix', 'suffix', 'anything-but', 'numeric', 'exists', 'equals-ignore-case', 'cidr'];
/** SNS allows at most 5 keys in a policy (nested keys count for body policies). */
const MAX_KEYS = 5;

/** The parsed policy, or the reason it is refused (worded after SNS's "Invalid parameter: FilterPolicy: ..."). */
export function parseFilterPolicy(text: string, scope: FilterPolicyScope): Record<string, unknown> {
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw new FilterPolicyError('failed to parse JSON.');
  }
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) throw new FilterPolicyError('Filter policy must be a JSON object.');
  const keys = checkLevel(policy as Record<string, unknown>, scope);
  if (keys > MAX_KEYS) throw new FilterPolicyError(`Filter policy can not have more than ${MAX_KEYS} keys`);
  return policy as Record<string, unknown>;
}

export class FilterPolicyError extends Error {
  constructor(reason: string) {
    super(`Invalid parameter: FilterPolicy: ${reason}`);
  }
}

/** Counts the leaf keys; every value is a list of rules, or (body scope, and `$or`) nested policies. */
function checkLevel(policy: Record<string, unknown>, scope: FilterPolicyScope): number {
  let keys = 0;
  for (const [key, value] of Object.entries(policy)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) throw new FilterPolicyError('$or must be a list of at least two policies.');
      keys += Math.max(...value.map((alternative) => {
        if (typeof alternative !== 'object' || alternative === null || Array.isArray(alternative)) throw new FilterPolicyError('every alternative of $or must be a JSON object.');
        return checkLevel(alternative as Record<string, unknown>, scope);
      }));
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new FilterPolicyError(`Empty arrays are not allowed (key ${key}).`);
      for (const rule of value) checkRule(key, rule);
      keys += 1;
    } else if (typeof value === 'object' && value !== null && scope === 'MessageBody') {
      keys += checkLevel(value as Record<string, unknown>, scope);
    } else {
      throw new FilterPolicyError(`"${key}" must be an object or an array`);
    }
  }
  return keys;
}

function checkRule(key: string, rule: unknown): void {
  if (rule === null || typeof rule !== 'object') return;
  if (Array.isArray(rule)) throw new FilterPolicyError(`Match value must be String, number, true, false, or null (key ${key}).`);
  const operators = Object.keys(rule);
  const operator = operators[0];
  if (operators.length !== 1 || operator === undefined || !OPERATORS.includes(operator)) {
    throw new FilterPolicyError(`Unrecognized match type ${operators.join(', ') || '(none)'} (key ${key}).`);
  }
}

/** The attributes as a policy sees them: String as text, Number as a number, String.Array as its list; Binary is never matched. */
function attributeView(attributes: Readonly<Record<string, MessageAttributeValue>>): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const type = value.dataType.split('.')[0];
    if (value.stringValue === undefined) continue;
    if (type === 'Number') view[name] = Number(value.stringValue);
    else if (value.dataType === 'String.Array') view[name] = parseJson(value.stringValue) ?? value.stringValue;
    else if (type === 'String') view[name] = value.stringValue;
  }
  return view;
}

/** Whether a subscription with this policy gets the message (no policy: every message). */
export function passesFilterPolicy(policy: Record<string, unknown> | undefined, scope: FilterPolicyScope, message: string, attributes: Readonly<Record<string, MessageAttributeValue>>): boolean {
  if (!policy) return true;
  if (scope === 'MessageAttributes') return matchesEventPattern(policy, attributeView(attributes));
  const body = parseJson(message);
  // A body that is not a JSON object matches no body policy.
  return typeof body === 'object' && body !== null && !Array.isArray(body) && matchesEventPattern(policy, body);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
