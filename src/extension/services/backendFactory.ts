// Chooses where handlers run from the lambdaWorkbench.backend setting, and creates that backend.
import type { Backend, BackendKind } from '../../core/instances/backend';
import { ProcessBackend } from '../../core/instances/process/processBackend';
import type { FunctionSpec } from '../../core/template/functionSpec';
import type { BackendChoice } from '../../shared/launchConfig';

/** Where one function runs under a backend choice: `auto` runs image functions in containers, the rest as processes. */
export function effectiveBackend(choice: BackendChoice, spec: FunctionSpec): BackendKind {
  if (choice !== 'auto') return choice;
  return spec.packageType === 'Image' ? 'container' : 'process';
}

export function createBackend(): Backend {
  return new ProcessBackend();
}
