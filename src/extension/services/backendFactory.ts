// The backend of a new service, from the lambdaWorkbench.backend, imageOverrides and dockerHost settings.
import type { Backend } from '../../core/instances/backend';
import { readSettings } from '../platform/settings';

/** Reads the settings when the service is made, so a change applies to the next environment; core loads on first use. */
export async function createBackend(): Promise<Backend> {
  const { createBackend: createCoreBackend } = await import('../../core/instances/backendFactory.js');
  const { backend, imageOverrides, dockerHost, interpreters } = readSettings();
  return createCoreBackend({ choice: backend, imageOverrides, dockerHost, interpreters });
}
