// The container backend: each execution environment is a container in a Docker-compatible engine, driven through dockerode.
import { randomUUID } from 'node:crypto';
import type { Disposable } from '../../common/disposable';
import { ensureImage, imageLabels, type ImagePullProgress } from '../../images/imagePull';
import { officialImageFor, platformFor } from '../../images/officialImages';
import { LOCAL_IMAGE_REPOSITORY, OUTPUT_PIPES_LABEL, localImageFor } from '../../images/localImages';
import { WorkbenchError, errorMessage } from '../../common/errors';
import type { FunctionSpec } from '../../template/functionSpec';
import { isCustomRuntime } from '../../template/lambdaRuntimes';
import type { Backend, LaunchRequest, RuntimeHandle } from '../backend';
import { cannotRunOn, type RunBlocker } from '../runtimeSupport';
import { imageRuntimeVersion, type RuntimeVersion } from '../runtimeVersion';
import { containerCreateOptions, loopbackPortsReached, type ContainerNetworkMode } from './containerConfig';
import { removeOrphanedContainers, removeQuietly, removeSessionContainers } from './containerLabels';
import { startReaper } from './containerReaper';
import { ContainerRuntime } from './containerRuntime';
import { connectDockerEngine, type DockerEngine, type EngineConnectOptions } from './dockerEngine';
import { engineIsPodman, engineSharesHostKernel } from './engineKernel';
import { EngineRelay } from './engineRelay';
import { OutputPipes } from './outputPipes';
import { uplinkDialer, type UplinkDialer } from './uplinkDialer';

export interface ContainerBackendOptions {
  /** Image per runtime instead of the official AWS base image, e.g. { 'nodejs20.x': 'lambda-workbench/runtime:nodejs20.x' }. */
  images?: Record<string, string>;
  /** Engine discovery and ping timeout. */
  engine?: EngineConnectOptions;
  /**
   * Default: host networking on Linux with a local engine, bridge with host.docker.internal elsewhere; engines reached
   * over the network (tcp://, ssh://) always put the container in a relay's network (engineRelay.ts).
   */
  networkMode?: 'host' | 'bridge';
  /** Progress of image pulls (first use of an official image). */
  onImageProgress?(progress: ImagePullProgress): void;
  /** Start the detached reaper that removes this session's containers if this process dies (default true). */
  reaper?: boolean;
}

interface ResolvedImage {
  image: string;
  ours: boolean;
  /** Its bootstrap can send the runtime's output through host pipes (OUTPUT_PIPES_LABEL). */
  outputPipes: boolean;
}

/** An engine connection and what was learnt about it once. */
interface ConnectedEngine extends DockerEngine {
  /** Containers run on this machine's kernel: host FIFOs and cgroup files work. */
  sharesHostKernel: boolean;
  /** Podman's Docker-compatible service. */
  podman: boolean;
  /**
   * Engines reached over the network (tcp://, ssh://) may run on another machine: its containers cannot reach this
   * machine's loopback, so a relay carries the Runtime API and the debugger (published port, or SSH tunnel).
   */
  dialer?: UplinkDialer;
}

export class ContainerBackend implements Backend {
  readonly kind = 'container' as const;
  /** Identifies this backend's containers (label lambda-workbench.session). */
  readonly sessionId = randomUUID();
  private engine: Promise<ConnectedEngine> | undefined;
  private reaper: Disposable | undefined;
  private readonly images = new Map<string, Promise<ResolvedImage>>();
  private readonly runtimes = new Set<ContainerRuntime>();
  private disposed = false;

  /**
   * Starts connecting right away: whoever creates a container backend is about to use it, and the first invocation
   * should not also wait for dockerode to load and the engine to be found. A failure surfaces at the first launch.
   */
  constructor(private readonly options: ContainerBackendOptions = {}) {
    void this.connect();
  }

  cannotRun(spec: FunctionSpec): RunBlocker | undefined {
    return cannotRunOn('container', spec, { imageOverrides: this.options.images });
  }

  async runtimeVersion(spec: FunctionSpec): Promise<RuntimeVersion> {
    return imageRuntimeVersion(spec);
  }

  /** Connects once: finds an engine, removes containers of dead sessions, starts the reaper, learns where the engine runs. */
  connect(): Promise<ConnectedEngine> {
    this.engine ??= (async () => {
      const engine = await connectDockerEngine(this.options.engine);
      const [, sharesHostKernel, podman] = await Promise.all([
        removeOrphanedContainers(engine.docker, this.sessionId),
        engineSharesHostKernel(engine.docker),
        engineIsPodman(engine.docker),
      ]);
      if (this.options.reaper !== false) this.reaper = startReaper(engine.endpoint.connection, this.sessionId);
      return { ...engine, sharesHostKernel, podman, dialer: uplinkDialer(engine.endpoint.connection) };
    })();
    // A failed connection is not cached: the user may start the engine and try again.
    this.engine.catch(() => (this.engine = undefined));
    return this.engine;
  }

  kindFor(): 'container' {
    return this.kind;
  }

  async launch(request: LaunchRequest): Promise<RuntimeHandle> {
    if (this.disposed) throw new WorkbenchError('INSTANCE_FAILED', 'The container backend has been disposed.');
    const engine = await this.connect();
    const { image, ours, outputPipes } = await this.resolveImage(engine, request);
    // tcp:// and ssh:// engines may run on another machine, where this one's paths and loopback do not exist: the files are
    // uploaded, and the container joins the network of a relay that carries its connections to this machine.
    const copiesFiles = engine.dialer !== undefined;
    const relay = engine.dialer ? await this.startRelay(engine.dialer, engine, request) : undefined;
    const networkMode: ContainerNetworkMode =
      relay?.networkMode ?? this.options.networkMode ?? (process.platform === 'linux' && engine.sharesHostKernel ? 'host' : 'bridge');
    // Our runtime's output goes through host FIFOs rather than the engine's attach stream (a hop per line fewer).
    const pipes = outputPipes && engine.sharesHostKernel && !copiesFiles ? new OutputPipes(this.sessionId) : undefined;
    const options = containerCreateOptions(request, {
      image,
      ours,
      networkMode,
      sessionId: this.sessionId,
      outputPipesDir: pipes?.dir,
      copiesFiles,
      podman: engine.podman,
    });
    // The FIFOs are made while the engine creates the container; both are needed only at start.
    const [created, fifos] = await Promise.allSettled([
      engine.docker.createContainer(options).then(async (container) => {
        if (!copiesFiles) return container;
        // The archive writer (tar-stream) loads with the first upload: engines that share this machine's files never need it.
        const { uploadCode } = await import('./codeArchive.js');
        await uploadCode(container, request).catch(async (error: unknown) => {
          await removeQuietly(engine.docker, container.id);
          throw error;
        });
        return container;
      }),
      pipes?.ready,
    ]);
    if (created.status === 'rejected' || fifos.status === 'rejected') {
      await pipes?.discard();
      if (created.status === 'fulfilled') await removeQuietly(engine.docker, created.value.id);
      await relay?.close();
      if (fifos.status === 'rejected') throw fifos.reason;
      const reason: unknown = (created as PromiseRejectedResult).reason;
      throw new WorkbenchError('INSTANCE_FAILED', `Creating the container for ${request.spec.functionName} from ${image} failed: ${errorMessage(reason)}`, {
        cause: reason,
      });
    }
    const container = created.value;
    // A custom runtime's bootstrap is the user's, even in our image: it writes no flush markers.
    const flushMarkers = ours && !isCustomRuntime(request.spec.runtime);
    // Our Node.js and Python images' bootstraps hand their runtime client the runtime channel's FIFOs, beside the output pipes.
    const channel = pipes !== undefined && flushMarkers;
    const runtime = new ContainerRuntime({
      docker: engine.docker, container, request, ours: flushMarkers, localEngine: engine.sharesHostKernel, pipes, channel, copiesFiles, relay,
    });
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
    (await this.engine?.catch(() => undefined))?.dialer?.dispose();
  }

  private startRelay(dialer: UplinkDialer, engine: DockerEngine, request: LaunchRequest): Promise<EngineRelay> {
    return EngineRelay.start({
      docker: engine.docker,
      dialer,
      sessionId: this.sessionId,
      instanceId: request.instanceId,
      functionName: request.spec.functionName,
      architecture: request.spec.architecture,
      reversePorts: loopbackPortsReached(request),
      debugPort: request.debug?.port,
      onImageProgress: this.options.onImageProgress,
    });
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
    /** A local runtime image (ours), or an image of the user's; the labels tell whether it knows output pipes. */
    const resolved = (image: string, labels: Record<string, string>): ResolvedImage => {
      const ours = image.startsWith(`${LOCAL_IMAGE_REPOSITORY}:`);
      return { image, ours, outputPipes: ours && labels[OUTPUT_PIPES_LABEL] === '1' };
    };
    if (spec.packageType === 'Image') {
      if (!spec.imageUri) {
        throw new WorkbenchError('IMAGE_UNAVAILABLE', `${spec.logicalId} is packaged as an image but has no ImageUri.`, {
          hint: 'Set ImageUri (or Metadata DockerTag/DockerContext) on the function.',
        });
      }
      await pull(spec.imageUri);
      return { image: spec.imageUri, ours: false, outputPipes: false };
    }
    const runtime = spec.runtime ?? '';
    const override = this.options.images?.[runtime];
    if (override) return resolved(override, await pull(override));
    const official = officialImageFor(runtime, spec.architecture);
    const local = localImageFor(runtime);
    const [officialLabels, localLabels] = await Promise.all([imageLabels(engine.docker, official), imageLabels(engine.docker, local)]);
    if (officialLabels) return { image: official, ours: false, outputPipes: false };
    if (localLabels) return resolved(local, localLabels);
    await pull(official);
    return { image: official, ours: false, outputPipes: false };
  }
}
