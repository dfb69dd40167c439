// Picks and creates the backend a debug session runs its function on: a local process or a container.
import type { Backend, BackendKind } from '../core/instances/backend';
import { ContainerBackend } from '../core/instances/container/containerBackend';
import { ProcessBackend } from '../core/instances/process/processBackend';
import type { FunctionSpec } from '../core/template/functionSpec';
import type { LambdaLaunchArguments } from '../shared/launchConfig';

/** `auto` runs images (a launch `image`, or PackageType Image) in a container and everything else as a process. */
export function chooseBackendKind(args: LambdaLaunchArguments, spec: FunctionSpec): BackendKind {
  if (args.backend === 'process' || args.backend === 'container') return args.backend;
  return args.image !== undefined || spec.packageType === 'Image' ? 'container' : 'process';
}

export function createBackend(args: LambdaLaunchArguments, spec: FunctionSpec): Backend {
  if (chooseBackendKind(args, spec) === 'process') return new ProcessBackend();
  // For a Zip function, `image` replaces the runtime's image; for PackageType Image it already replaced ImageUri.
  const images = args.image !== undefined && spec.runtime !== undefined ? { [spec.runtime]: args.image } : undefined;
  return new ContainerBackend(images ? { images } : {});
}
