// The one place a backend is made from a choice (process, container or auto) and the container engine's settings.
import { homedir } from 'node:os';
import type { BackendChoice } from '../../shared/launchConfig';
import { WorkbenchError } from '../common/errors';
import type { FunctionSpec } from '../template/functionSpec';
import type { Backend, BackendKind, LaunchRequest, RuntimeHandle } from './backend';
import { backendKindFor } from './backendKind';
import { ContainerBackend, type ContainerBackendOptions } from './container/containerBackend';
import { ProcessBackend } from './process/processBackend';
import { cannotRunOn, type RunBlocker } from './runtimeSupport';
import { imageRuntimeVersion, type RuntimeVersion } from './runtimeVersion';

export interface BackendSettings {
  choice: BackendChoice;
  /** Image per runtime instead of the official base image, e.g. { 'nodejs20.x': 'lambda-workbench/runtime:nodejs20.x' }. */
  imageOverrides?: Record<string, string>;
  /** Engine address in DOCKER_HOST syntax (unix://, tcp://, ssh://); empty or absent: DOCKER_HOST, contexts, sockets. */
  dockerHost?: string;
  /** Runtime -> interpreter binary for local processes (lambdaWorkbench.interpreters, --interpreter). */
  interpreters?: Record<string, string>;
  /** The rest of the container backend's options (network mode, pull progress, reaper, ping timeout). */
  container?: Omit<ContainerBackendOptions, 'images'>;
}

/** A backend for `settings`; `auto` starts no container engine connection until a function needs a container. */
export function createBackend(settings: BackendSettings): Backend {
  switch (settings.choice) {
    case 'process':
      return new ProcessBackend({ interpreters: settings.interpreters ?? {} });
    case 'container':
      return new ContainerBackend(containerOptions(settings));
    case 'auto':
      return new AutoBackend(settings);
  }
}

/** The container backend's options for `settings`: image overrides and the engine address folded in. */
export function containerOptions(settings: BackendSettings): ContainerBackendOptions {
  const options: ContainerBackendOptions = { ...settings.container };
  if (settings.imageOverrides && Object.keys(settings.imageOverrides).length > 0) options.images = { ...settings.imageOverrides };
  if (settings.dockerHost) {
    const engine = settings.container?.engine;
    const discovery = engine?.discovery ?? { env: process.env, home: homedir(), platform: process.platform };
    options.engine = { ...engine, discovery: { ...discovery, env: { ...discovery.env, DOCKER_HOST: settings.dockerHost } } };
  }
  return options;
}

/** Runs each function where `backendKindFor('auto', ...)` says, both kinds side by side in one service. */
class AutoBackend implements Backend {
  private readonly processes: ProcessBackend;
  private containers: ContainerBackend | undefined;
  private disposed = false;

  constructor(private readonly settings: BackendSettings) {
    this.processes = new ProcessBackend({ interpreters: settings.interpreters ?? {} });
  }

  kindFor(spec: FunctionSpec): BackendKind {
    return backendKindFor('auto', spec);
  }

  cannotRun(spec: FunctionSpec): RunBlocker | undefined {
    return cannotRunOn(this.kindFor(spec), spec, { imageOverrides: this.settings.imageOverrides ?? {} });
  }

  runtimeVersion(spec: FunctionSpec): Promise<RuntimeVersion> {
    return this.kindFor(spec) === 'process' ? this.processes.runtimeVersion(spec) : Promise.resolve(imageRuntimeVersion(spec));
  }

  launch(request: LaunchRequest): Promise<RuntimeHandle> {
    if (this.disposed) return Promise.reject(new WorkbenchError('INSTANCE_FAILED', 'The backend has been disposed.'));
    if (this.kindFor(request.spec) === 'process') return this.processes.launch(request);
    this.containers ??= new ContainerBackend(containerOptions(this.settings));
    return this.containers.launch(request);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([this.processes.dispose(), this.containers?.dispose()]);
  }
}
