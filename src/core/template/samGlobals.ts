// SAM `Globals` merge rules: maps merged key by key, lists concatenated (global first), scalars and intrinsics overridden.
import { intrinsicName } from './intrinsicResolver';
import { isRecord } from './templateDocument';

/** Merges a global value with a resource's own value the way the SAM translator does. */
export function mergeGlobal(globalValue: unknown, localValue: unknown): unknown {
  if (localValue === undefined) return globalValue;
  if (globalValue === undefined) return localValue;
  if (Array.isArray(globalValue) && Array.isArray(localValue)) return [...globalValue, ...localValue];
  if (isRecord(globalValue) && isRecord(localValue) && !intrinsicName(globalValue) && !intrinsicName(localValue)) {
    const merged: Record<string, unknown> = { ...globalValue };
    for (const [key, value] of Object.entries(localValue)) merged[key] = mergeGlobal(globalValue[key], value);
    return merged;
  }
  return localValue;
}

/** The properties of an AWS::Serverless::Function with `Globals.Function` applied. */
export function withFunctionGlobals(root: Record<string, unknown>, properties: Record<string, unknown>): Record<string, unknown> {
  const globals = isRecord(root.Globals) && isRecord(root.Globals.Function) ? root.Globals.Function : {};
  return mergeGlobal(globals, properties) as Record<string, unknown>;
}
