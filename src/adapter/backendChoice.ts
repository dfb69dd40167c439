// The backend settings a launch configuration asks for: its `backend` choice, and `image` as the runtime's image.
import type { BackendSettings } from '../core/instances/backendFactory';
import type { FunctionSpec } from '../core/template/functionSpec';
import type { LambdaLaunchArguments } from '../shared/launchConfig';

/** `image` implies a container under `auto`; for a Zip function it replaces the runtime's image (an Image function names its own). */
export function launchBackendSettings(args: LambdaLaunchArguments, spec: FunctionSpec): BackendSettings {
  const choice = args.backend === 'process' || args.backend === 'container' ? args.backend : args.image !== undefined ? 'container' : 'auto';
  const settings: BackendSettings = { choice };
  if (args.image !== undefined && spec.runtime !== undefined) settings.imageOverrides = { [spec.runtime]: args.image };
  return settings;
}
