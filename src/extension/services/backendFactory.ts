// Chooses where handlers run from the lambdaWorkbench.backend setting, and creates that backend.
import type { Backend, BackendKind } from '../../core/instances/backend';
import type { FunctionSpec } from '../../core/template/functionSpec';
import type { BackendChoice } from '../../shared/launchConfig';
import { readSettings } from '../platform/settings';

/** Where one function runs under a backend choice: `auto` runs image functions in containers, the rest as processes. */
export function effectiveBackend(choice: BackendChoice, spec: FunctionSpec): BackendKind {
  if (choice !== 'auto') return choice;
  return spec.packageType === 'Image' ? 'container' : 'process';
}

/** The backend of a new service; its module loads with the first service, not at activation. */
export async function createBackend(): Promise<Backend> {
  const { ProcessBackend } = await import('../../core/instances/process/processBackend.js');
  return new ProcessBackend({ interpreters: readSettings().interpreters });
}
