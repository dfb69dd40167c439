// Checks a FunctionSpec against Lambda's limits and rules before anything tries to run it.
import { environmentProblem } from './environmentRules';
import { FUNCTION_LIMITS, type FunctionSpec } from './functionSpec';
import { closestRuntime, CURRENT_RUNTIMES, isCustomRuntime, isKnownRuntime, isNodeRuntime } from './lambdaRuntimes';

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

/** Handler syntax is left to the runtime, which reports Runtime.MalformedHandlerName at invoke time as AWS does. */
export function validateFunction(spec: FunctionSpec, report: ReportInvalid): void {
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
  if (spec.build && !isNodeRuntime(spec.runtime)) {
    report('Runtime', `${name} is built with esbuild, which needs a nodejs runtime, but its Runtime is '${spec.runtime}'.`);
  }
}
