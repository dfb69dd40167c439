// Reads a SAM-style --env-vars file: {"Parameters": {...} for every function, "<LogicalId>": {...} for one}.
import { readFile } from 'node:fs/promises';
import { WorkbenchError } from '../core/common/errors';

type Variables = Record<string, string>;

/** Section name ("Parameters" or a logical id) to variables: the shape of ServiceOptions.environmentOverrides. */
export async function readEnvVarsFile(path: string): Promise<Record<string, Variables>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new WorkbenchError('USAGE', `Cannot read the --env-vars file: ${(error as Error).message}`, { location: { file: path } });
  }
  if (!isObject(parsed)) {
    throw invalid(path, 'the file must hold a JSON object like {"Parameters": {"KEY": "value"}, "MyFunction": {"KEY": "value"}}.');
  }
  const overrides: Record<string, Variables> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!isObject(value)) throw invalid(path, `"${key}" must map variable names to values.`);
    overrides[key] = stringify(path, key, value);
  }
  return overrides;
}

/** Lambda variables are strings; like SAM, numbers and booleans are written out, anything else is refused. */
function stringify(path: string, section: string, values: Record<string, unknown>): Variables {
  const result: Variables = {};
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string') result[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') result[name] = String(value);
    else throw invalid(path, `"${section}.${name}" must be a string, number or boolean.`);
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(path: string, reason: string): WorkbenchError {
  return new WorkbenchError('USAGE', `Invalid --env-vars file: ${reason}`, { location: { file: path } });
}
