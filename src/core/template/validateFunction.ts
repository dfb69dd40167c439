// Checks a FunctionSpec against Lambda's limits and rules before anything tries to run it.
import { environmentProblem } from './environmentRules';
import { FUNCTION_LIMITS, type FunctionSpec } from './functionSpec';
import { closestRuntime, CURRENT_RUNTIMES, isCustomRuntime, isKnownRuntime, isNodeRuntime, isPythonRuntime } from './lambdaRuntimes';

/** The value that makes a reported problem go away, and where it goes (by default the reported property). */
export interface ValueFix {
  value: string | number;
  path?: readonly string[];
}

/** Reports a problem with the template property (or command-line option) it comes from; never returns. */
export type ReportInvalid = (property: string, message: string, hint?: string, fix?: ValueFix) => never;

const MIN_EPHEMERAL_MB = 512;
const MAX_EPHEMERAL_MB = 10240;

/** Out of range: the fix is the nearest allowed value (at `path`, the property's own value by default). */
function checkRange(value: number, min: number, max: number, property: string, what: string, report: ReportInvalid, path?: readonly string[]): void {
  if (value < min || value > max) {
    report(property, `${what} is ${value}, but Lambda allows ${min} to ${max}.`, undefined, { value: Math.min(max, Math.max(min, value)), ...(path ? { path } : {}) });
  }
}

/** Reports a problem that Lambda accepts at deployment but that fails at invoke time (the function still loads). */
export type ReportWarning = (property: string, message: string) => void;

/**
 * Why the runtime would refuse the handler string with Runtime.MalformedHandlerName at every invocation (Lambda accepts it
 * at deployment, so this is a warning): Node.js splits the file name part on its first `.` and refuses `..`; Python splits
 * `module.function` on its last `.`.
 */
function handlerProblem(runtime: string, handler: string): string | undefined {
  const basename = handler.slice(handler.lastIndexOf('/') + 1);
  if (isNodeRuntime(runtime)) {
    if (handler.includes('..')) return `'${handler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`;
    if (!basename.includes('.')) return 'Bad handler';
  }
  if (isPythonRuntime(runtime) && !handler.includes('.')) return `Bad handler '${handler}': not enough values to unpack (expected 2, got 1)`;
  return undefined;
}

export function validateFunction(spec: FunctionSpec, report: ReportInvalid, warn?: ReportWarning): void {
  const name = spec.logicalId;
  checkRange(spec.memorySizeMB, FUNCTION_LIMITS.minMemoryMB, FUNCTION_LIMITS.maxMemoryMB, 'MemorySize', `MemorySize of ${name}`, report);
  checkRange(spec.timeoutSeconds, 1, FUNCTION_LIMITS.maxTimeoutSeconds, 'Timeout', `Timeout of ${name}`, report);
  checkRange(spec.ephemeralStorageMB, MIN_EPHEMERAL_MB, MAX_EPHEMERAL_MB, 'EphemeralStorage', `EphemeralStorage.Size of ${name}`, report, ['EphemeralStorage', 'Size']);
  if (spec.architecture !== 'x86_64' && spec.architecture !== 'arm64') {
    report('Architectures', `Architectures of ${name} is '${String(spec.architecture)}', but Lambda supports x86_64 and arm64.`);
  }
  const environment = environmentProblem(spec.environment);
  if (environment) report('Environment', `${name}: ${environment}`);
  if (spec.layers.length > FUNCTION_LIMITS.maxLayers) {
    report('Layers', `${name} uses ${spec.layers.length} layers, but a function can use at most ${FUNCTION_LIMITS.maxLayers}.`);
  }
  if (spec.packageType === 'Image') {
    if (!spec.imageUri) report('ImageUri', `${name} has PackageType Image but no ImageUri.`, 'Set ImageUri to a local image tag (e.g. hello:latest).');
    return;
  }
  if (!spec.runtime) report('Runtime', `${name} has no Runtime.`, `Set Runtime, e.g. ${CURRENT_RUNTIMES[0]}.`);
  if (!isKnownRuntime(spec.runtime)) {
    report('Runtime', `Runtime '${spec.runtime}' of ${name} is not a Lambda runtime.`, `Use one of: ${CURRENT_RUNTIMES.join(', ')}.`, { value: closestRuntime(spec.runtime) });
  }
  if (!spec.handler && !isCustomRuntime(spec.runtime)) {
    report('Handler', `${name} has no Handler.`, 'Set Handler to <file>.<export>, e.g. app.handler.');
  }
  const handler = spec.handler ? handlerProblem(spec.runtime, spec.handler) : undefined;
  if (handler && warn) {
    const form = isPythonRuntime(spec.runtime) ? '<module>.<function>' : '<file>.<export>';
    warn('Handler', `Handler '${spec.handler}' of ${name} fails every invocation with Runtime.MalformedHandlerName ("${handler}"); use ${form}, e.g. app.handler.`);
  }
  if (spec.build && !isNodeRuntime(spec.runtime)) {
    report('Runtime', `${name} is built with esbuild, which needs a nodejs runtime, but its Runtime is '${spec.runtime}'.`);
  }
}
