// Checks the launch arguments of a `lambda-workbench` session against their schema and the rules between them (adapter side).
import { LAUNCH_ATTRIBUTES, type AttributeSchema, type LambdaLaunchArguments } from '../shared/launchConfig';
import { WorkbenchError } from '../core/common/errors';
import { CURRENT_RUNTIMES, isKnownRuntime } from '../core/template/lambdaRuntimes';

/** Keys DAP clients add to every launch request; not ours to check. */
const CLIENT_KEYS = new Set(['type', 'request', 'name', 'noDebug', '__restart', '__sessionId', '__configurationTarget', 'presentation', 'preLaunchTask', 'postDebugTask', 'internalConsoleOptions', 'debugServer', 'suppressMultipleSessionWarning', 'cwd']);

function usage(message: string, hint: string): WorkbenchError {
  return new WorkbenchError('USAGE', `Launch configuration: ${message}`, { hint });
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function checkAttribute(name: string, value: unknown, schema: AttributeSchema): void {
  const allowed = Array.isArray(schema.type) ? schema.type : [schema.type];
  const actual = typeOf(value);
  if (!allowed.includes(actual as never)) {
    throw usage(`\`${name}\` must be ${allowed.join(' or ')}, not ${actual}.`, schema.description);
  }
  if (schema.enum && !schema.enum.includes(value as string)) {
    throw usage(`\`${name}\` must be one of ${schema.enum.map((v) => `"${v}"`).join(', ')}, not "${String(value)}".`, schema.description);
  }
  if (typeof value === 'number' && ((schema.minimum !== undefined && value < schema.minimum) || (schema.maximum !== undefined && value > schema.maximum))) {
    throw usage(`\`${name}\` must be between ${schema.minimum} and ${schema.maximum}, not ${value}.`, schema.description);
  }
  if (schema.additionalProperties && actual === 'object') {
    for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
      if (typeof entry !== schema.additionalProperties.type) {
        throw usage(`\`${name}.${key}\` must be a ${schema.additionalProperties.type}, not ${typeOf(entry)}.`, schema.description);
      }
    }
  }
}

/** Returns the arguments typed, or throws WorkbenchError USAGE saying what to change in launch.json. */
export function validateLaunchArguments(raw: Record<string, unknown>): LambdaLaunchArguments {
  const schemas: Record<string, AttributeSchema> = LAUNCH_ATTRIBUTES;
  for (const [name, value] of Object.entries(raw)) {
    if (CLIENT_KEYS.has(name) || value === undefined) continue;
    const schema = schemas[name];
    if (!schema) {
      throw usage(`unknown attribute \`${name}\`.`, `Known attributes: ${Object.keys(schemas).join(', ')}.`);
    }
    checkAttribute(name, value, schema);
  }
  const args = raw as LambdaLaunchArguments;
  if (args.function === undefined && args.handler === undefined) {
    throw usage('no function to debug.', 'Set `function` (and `template`) for a function in a template, or `handler` and `runtime` for a bare handler.');
  }
  if (args.function !== undefined && args.handler !== undefined) {
    throw usage('`function` and `handler` are both set.', 'Keep `function` to debug a template function, or `handler` (with `runtime`) for a bare handler.');
  }
  if (args.function !== undefined && args.template === undefined) {
    throw usage(`\`function\` "${args.function}" is set without \`template\`.`, 'Set `template` to the SAM template that declares it, e.g. "${workspaceFolder}/template.yaml".');
  }
  if (args.handler !== undefined && args.runtime === undefined) {
    throw usage(`\`handler\` "${args.handler}" is set without \`runtime\`.`, 'Set `runtime`, e.g. "nodejs20.x" or "python3.12".');
  }
  if (args.runtime !== undefined && !isKnownRuntime(args.runtime)) {
    throw usage(`\`runtime\` "${args.runtime}" is not a Lambda runtime.`, `Use one of: ${CURRENT_RUNTIMES.join(', ')}.`);
  }
  if (args.function === '') {
    throw usage('`function` is empty.', 'Set `function` to the logical id (or FunctionName) of a function of `template`.');
  }
  if (args.event !== undefined && args.eventFile !== undefined) {
    throw usage('`event` and `eventFile` are both set.', 'Keep one of them.');
  }
  if (args.backend === 'process' && args.image !== undefined) {
    throw usage('`image` is set with `backend` "process".', 'Images run only in containers: remove `image` or set `backend` to "container" or "auto".');
  }
  return args;
}
