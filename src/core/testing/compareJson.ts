// Compares a response with its expectation, whole or as a subset, and words the difference as node:assert's readable diff.
import { AssertionError, deepStrictEqual } from 'node:assert';

/** `actual` cut down to the keys `expected` names (recursively, through objects); arrays and scalars stay whole. */
function projectOnto(expected: unknown, actual: unknown): unknown {
  if (!isPlainObject(expected) || !isPlainObject(actual)) return actual;
  const projected: Record<string, unknown> = {};
  for (const key of Object.keys(expected)) {
    if (Object.hasOwn(actual, key)) projected[key] = projectOnto(expected[key], actual[key]);
  }
  return projected;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * undefined when `actual` matches `expected` ('equal': the same JSON value; 'contains': every key of `expected`, at every
 * depth of objects, present with a matching value), else a readable diff ("+ actual - expected").
 */
export function compareJson(expected: unknown, actual: unknown, mode: 'equal' | 'contains'): string | undefined {
  const compared = mode === 'contains' ? projectOnto(expected, actual) : actual;
  try {
    deepStrictEqual(compared, expected);
    return undefined;
  } catch (error) {
    if (error instanceof AssertionError) return error.message;
    throw error;
  }
}
