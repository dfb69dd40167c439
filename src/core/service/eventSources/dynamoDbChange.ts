// An item change put on a local DynamoDB table stream, in DynamoDB's attribute-value JSON ({"id": {"S": "1"}}), validated.
import { WorkbenchError } from '../../common/errors';

export type DynamoDbEventName = 'INSERT' | 'MODIFY' | 'REMOVE';
export type AttributeValue = Record<string, unknown>;
export type AttributeMap = Record<string, AttributeValue>;

export interface DynamoDbChange {
  /** Inferred when left out: both images MODIFY, only newImage INSERT, only oldImage REMOVE. */
  eventName?: DynamoDbEventName;
  keys: unknown;
  newImage?: unknown;
  oldImage?: unknown;
}

const TYPES = new Set(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL']);

/** Checks that `value` is a map of attribute values; EVENT_INVALID names the first bad attribute. */
export function attributeMap(value: unknown, field: string): AttributeMap {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${field} must be an object of attribute values`);
  }
  for (const [name, attribute] of Object.entries(value)) checkAttribute(attribute, `${field}.${name}`);
  return value as AttributeMap;
}

function checkAttribute(value: unknown, where: string): void {
  const keys = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
  if (keys.length !== 1 || !TYPES.has(keys[0])) {
    throw invalid(`${where} must be one attribute value such as {"S": "text"} or {"N": "1"}, got ${JSON.stringify(value)}`);
  }
  const inner = (value as Record<string, unknown>)[keys[0]];
  if (keys[0] === 'M') attributeMap(inner, where);
  if (keys[0] === 'L') {
    if (!Array.isArray(inner)) throw invalid(`${where}.L must be a list of attribute values`);
    inner.forEach((item, index) => checkAttribute(item, `${where}.L[${index}]`));
  }
}

function invalid(problem: string): WorkbenchError {
  return new WorkbenchError('EVENT_INVALID', `${problem}.`, { hint: 'Write DynamoDB JSON, e.g. {"keys": {"id": {"S": "1"}}, "newImage": {"id": {"S": "1"}, "n": {"N": "2"}}}.' });
}
