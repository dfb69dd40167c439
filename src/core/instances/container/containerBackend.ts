// The container backend: each execution environment is a container in a Docker-compatible engine, driven through dockerode.
import { randomUUID } from 'node:crypto';
import type { Disposable } from '../../common/disposable';
import { imageExists, ensureImage, type ImagePullProgress } from '../../images/imagePull';
import { officialImageFor, platformFor } from '../../images/officialImages';
import { LOCAL_IMAGE_REPOSITORY, localImageFor } from '../../images/runtimeImageBuilder';
import { WorkbenchError } from '../../common/errors';
import type { Backend, LaunchRequest, RuntimeHandle } from '../backend';
import { containerCreateOptions, type ContainerNetworkMode } from './containerConfig';
import { removeOrphanedContainers, removeSessionContainers } from './containerLabels';
import { startReaper } from './containerReaper';
import { ContainerRuntime } from './containerRuntime';
import { connectDockerEngine, type DockerEngine, type EngineConnectOptions } from './dockerEngine';

export interface ContainerBackendOptions {
  /** Image per runtime instead of the official AWS base image, e.g. { 'nodejs20.x': 'lambda-workbench/runtime:nodejs20.x' }. */
  images?: Record<string, string>;
  /** Engine discovery and ping timeout. */
  engine?: EngineConnectOptions;
  /** Default: host networking on Linux with a local engine, bridge with host.docker.internal elsewhere. */
  networkMode?: ContainerNetworkMode;
  /** Progress of image pulls (first use of an official image). */
  onImageProgress?(progress: ImagePullProgress): void;
  /** Start the detached reaper that removes this session's containers if this process dies (default true). */
  reaper?: boolean;
}

interface ResolvedImage {
  image: string;
  ours: boolean;
}

export class ContainerBackend implements Backend {
  readonly kind = 'container' as const;
  /** Identifies this backend's containers (label lambda-workbench.session). */
  readonly sessionId = randomUUID();
  private engine: Promise<DockerEngine> | undefined;
  private reaper: Disposable | undefined;
  private readonly images = new Map<string, Promise<ResolvedImage>>();
  private readonly runtimes = new Set<ContainerRuntime>();
  private disposed = false;

  constructor(private readonly options: ContainerBackendOptions = {}) {}

  /** Connects on first use: finds an engine, removes containers of dead sessions, starts the reaper. */
  connect(): Promise<DockerEngine> {
    this.engine ??= (async () => {
      const engine = await connectDockerEngine(this.options.engine);
      await removeOrphanedContainers(engine.docker, this.sessionId);
      if (this.options.reaper !== false) this.reaper = startReaper(engine.endpoint.connection, this.sessionId);
      return engine;
    })();
    // A failed connection is not cached: the user may start the engine and try again.
    this.engine.catch(() => (this.engine = undefined));
    return this.engine;
  }

  async launch(request: LaunchRequest): Promise<RuntimeHandle> {
    if (this.disposed) throw new WorkbenchError('INSTANCE_FAILED', 'The container backend has been disposed.');
    const engine = await this.connect();
    const { image, ours } = await this.resolveImage(engine, request);
    const local = 'socketPath' in engine.endpoint.connection;
    const networkMode = this.options.networkMode ?? (process.platform === 'linux' && local ? 'host' : 'bridge');
    const options = containerCreateOptions(request, { image, ours, networkMode, sessionId: this.sessionId });
    let container;
    try {
      container = await engine.docker.createContainer(options);
    } catch (error) {
      throw new WorkbenchError('INSTANCE_FAILED', `Creating the container for ${request.spec.functionName} from ${image} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const runtime = new ContainerRuntime({ docker: engine.docker, container, request, ours, localEngine: local });
    this.runtimes.add(runtime);
    void runtime.exited.then(() => this.runtimes.delete(runtime));
    await runtime.start();
    return runtime;
  }

  /** Removes every container of this session and stops the reaper. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.runtimes].map((runtime) => runtime.stop()));
    if (this.engine) {
      const engine = await this.engine.catch(() => undefined);
      if (engine) await removeSessionContainers(engine.docker, this.sessionId);
    }
    this.reaper?.dispose();
  }

  private resolveImage(engine: DockerEngine, request: LaunchRequest): Promise<ResolvedImage> {
    const { spec } = request;
    const key = spec.packageType === 'Image' ? `image:${spec.imageUri}` : `${spec.runtime}:${spec.architecture}`;
    let resolved = this.images.get(key);
    if (!resolved) {
      resolved = this.findImage(engine, request);
      this.images.set(key, resolved);
      resolved.catch(() => this.images.delete(key));
    }
    return resolved;
  }

  /**
   * The image for a function: its own (PackageType Image), an override, the official base image if present,
   * else a local runtime image built with `images build`, else the official image pulled now.
   */
  private async findImage(engine: DockerEngine, request: LaunchRequest): Promise<ResolvedImage> {
    const { spec } = request;
    const pull = (image: string) =>
      ensureImage(engine.docker, image, { platform: platformFor(spec.architecture), onProgress: this.options.onImageProgress });
    const isOurs = (image: string) => image.startsWith(`${LOCAL_IMAGE_REPOSITORY}:`);
    if (spec.packageType === 'Image') {
      if (!spec.imageUri) {
        throw new WorkbenchError('IMAGE_UNAVAILABLE', `${spec.logicalId} is packaged as an image but has no ImageUri.`, {
          hint: 'Set ImageUri (or Metadata DockerTag/DockerContext) on the function.',
        });
      }
      await pull(spec.imageUri);
      return { image: spec.imageUri, ours: false };
    }
    const runtime = spec.runtime ?? '';
    const override = this.options.images?.[runtime];
    if (override) {
      await pull(override);
      return { image: override, ours: isOurs(override) };
    }
    const official = officialImageFor(runtime, spec.architecture);
    if (await imageExists(engine.docker, official)) return { image: official, ours: false };
    const local = localImageFor(runtime);
    if (await imageExists(engine.docker, local)) return { image: local, ours: true };
    await pull(official);
    return { image: official, ours: false };
  }
}
