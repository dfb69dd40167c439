// Whether a backend can run a function at all (runtime, package type), known before any launch: the reason it cannot, in Lambda's terms.
import { officialImageParts } from '../images/officialImages';
import { isNodeRuntime, isPythonRuntime } from '../template/lambdaRuntimes';
import type { FunctionSpec } from '../template/functionSpec';
import type { BackendKind } from './backend';

/** Why a function cannot run on a backend; `reasonCode` is one of Lambda's StateReasonCode values. */
export interface RunBlocker {
  reasonCode: 'InvalidRuntime' | 'InvalidImage';
  /** One sentence naming the function and what is missing. */
  reason: string;
  /** What the user can do about it (the backend that can run it, a setting to add). */
  hint: string;
}

export interface RuntimeSupportOptions {
  /** Images per runtime the container backend uses instead of official base images (lambdaWorkbench.imageOverrides). */
  imageOverrides?: Record<string, string>;
}

/**
 * The one place that knows what each backend can run. Undefined when `kind` can run `spec`; a backend choosing between
 * processes and containers per function (`auto`) asks it for 'process' first.
 */
export function cannotRunOn(kind: BackendKind, spec: FunctionSpec, options: RuntimeSupportOptions = {}): RunBlocker | undefined {
  return kind === 'process' ? processBlocker(spec) : containerBlocker(spec, options);
}

function processBlocker(spec: FunctionSpec): RunBlocker | undefined {
  if (spec.packageType === 'Image') {
    return {
      reasonCode: 'InvalidImage',
      reason: `${spec.functionName} is packaged as a container image (${spec.imageUri ?? 'no ImageUri'}); it runs only in a container.`,
      hint: 'Use the container backend (--backend container, or the lambdaWorkbench.backend setting "container" or "auto") with a Docker engine.',
    };
  }
  const runtime = spec.runtime ?? '';
  if (isNodeRuntime(runtime) || isPythonRuntime(runtime) || runtime.startsWith('provided')) return undefined;
  return {
    reasonCode: 'InvalidRuntime',
    reason: `Runtime ${runtime || '(none)'} of ${spec.functionName} cannot run as a local process.`,
    hint: 'Local processes run nodejs*, python* and provided* runtimes; use the container backend (--backend container, or the lambdaWorkbench.backend setting "container" or "auto") for the others.',
  };
}

function containerBlocker(spec: FunctionSpec, options: RuntimeSupportOptions): RunBlocker | undefined {
  if (spec.packageType === 'Image') {
    if (spec.imageUri) return undefined;
    return {
      reasonCode: 'InvalidImage',
      reason: `${spec.functionName} is packaged as an image but has no ImageUri.`,
      hint: 'Set ImageUri (or Metadata DockerTag/DockerContext) on the function.',
    };
  }
  const runtime = spec.runtime ?? '';
  if (options.imageOverrides?.[runtime]) return undefined;
  try {
    officialImageParts(runtime);
    return undefined;
  } catch {
    return {
      reasonCode: 'InvalidRuntime',
      reason: `No Lambda base image is known for runtime ${runtime || '(none)'} of ${spec.functionName}.`,
      hint: 'Use a managed runtime (nodejs22.x, python3.13, provided.al2023, ...) or map this runtime to an image (lambdaWorkbench.imageOverrides).',
    };
  }
}
