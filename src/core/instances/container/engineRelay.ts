// Reaching a container on an engine of another machine: a relay container owns the function container's network, publishes one port on the engine's host, and carries the Runtime API, local endpoints and debugger over uplinks this machine opens.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import {
  RELAY_CONNECT,
  RELAY_IDLE,
  RELAY_PORTS_ENV,
  RELAY_READY,
  RELAY_TOKEN_ENV,
  RELAY_UPLINK_PORT_ENV,
  readHeaderLine,
} from '../../../shared/relayProtocol';
import { WorkbenchError, errorMessage } from '../../common/errors';
import { distPath } from '../../common/packageAssets';
import { ensureImage, type ImagePullProgress } from '../../images/imagePull';
import { officialImageFor, OFFICIAL_IMAGE_REPOSITORY, platformFor } from '../../images/officialImages';
import { LOCAL_IMAGE_REPOSITORY } from '../../images/localImages';
import type { Architecture } from '../../template/functionSpec';
import { SANDBOX_USER } from './containerConfig';
import { containerLabels, removeQuietly } from './containerLabels';
import type { UplinkDialer } from './uplinkDialer';

/** Idle uplinks kept open, so a runtime's new connection is handed over at once. */
const IDLE_UPLINKS = 2;
/** How long the relay may take to answer on its published port after its container started. */
const READY_TIMEOUT_MS = 30_000;
const RETRY_DELAY_MS = 200;
/** Node.js as every Node image (ours and AWS's) has it. */
const IMAGE_NODE = '/var/lang/bin/node';
/** The relay's memory: Node.js and a few sockets. */
const RELAY_MEMORY_BYTES = 128 * 1024 * 1024;

export interface RelayPlan {
  docker: Dockerode;
  dialer: UplinkDialer;
  sessionId: string;
  instanceId: string;
  functionName: string;
  architecture: Architecture;
  /** Loopback ports of this machine that the function connects to (Runtime API, local endpoints): the same numbers inside. */
  reversePorts: number[];
  /** The debugger's port: this machine's loopback port that reaches the same port inside. */
  debugPort?: number;
  onImageProgress?(progress: ImagePullProgress): void;
}

/** One relay container and the uplinks to it; `networkMode` is what the function's container joins. */
export class EngineRelay {
  private readonly sockets = new Set<Duplex>();
  private debugServer: Server | undefined;
  private closed = false;

  private constructor(
    private readonly plan: RelayPlan,
    private readonly container: Dockerode.Container,
    private readonly token: string,
    private readonly uplinkPort: number,
  ) {}

  get networkMode(): `container:${string}` {
    return `container:${this.container.id}`;
  }

  /** Starts the relay container, waits until it answers through its published port, and opens the idle uplinks. */
  static async start(plan: RelayPlan): Promise<EngineRelay> {
    const image = await relayImage(plan.docker, plan.architecture, plan.onImageProgress);
    const token = randomBytes(24).toString('hex');
    const inside = uplinkPortInside(plan);
    const exposed = `${inside}/tcp`;
    const container = await plan.docker.createContainer({
      name: `lambda-workbench-${plan.sessionId.slice(0, 8)}-${plan.instanceId}-relay`.replace(/[^a-zA-Z0-9_.-]/g, '-'),
      Image: image,
      Entrypoint: [IMAGE_NODE],
      Cmd: ['-e', readFileSync(distPath('runtimes', 'relay', 'engineRelay.js'), 'utf8')],
      Env: [`${RELAY_TOKEN_ENV}=${token}`, `${RELAY_UPLINK_PORT_ENV}=${inside}`, `${RELAY_PORTS_ENV}=${plan.reversePorts.join(',')}`],
      Labels: containerLabels(plan.sessionId, `${plan.instanceId}-relay`, plan.functionName),
      User: `${SANDBOX_USER.uid}:${SANDBOX_USER.gid}`,
      ExposedPorts: { [exposed]: {} },
      HostConfig: {
        NetworkMode: 'bridge',
        PortBindings: { [exposed]: [{ HostIp: plan.dialer.publishAddress, HostPort: '' }] },
        Memory: RELAY_MEMORY_BYTES,
        AutoRemove: true,
      },
    });
    try {
      await container.start();
      const published = (await container.inspect()).NetworkSettings.Ports[exposed]?.[0]?.HostPort;
      if (!published) throw new Error(`the engine published no host port for ${exposed}`);
      const relay = new EngineRelay(plan, container, token, Number(published));
      try {
        await relay.open();
      } catch (error) {
        await relay.close();
        throw error;
      }
      return relay;
    } catch (error) {
      await removeQuietly(plan.docker, container.id);
      throw new WorkbenchError('INSTANCE_FAILED', `The relay to the engine's host for ${plan.functionName} did not start: ${errorMessage(error)}`, {
        hint: `The relay's port is published on ${plan.dialer.publishAddress} of the engine's host: a firewall between this machine and that port blocks it (ssh:// engines need only SSH).`,
        cause: error,
      });
    }
  }

  /** Closes every uplink and the debugger's port, and removes the relay container (after the function's container is gone). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.debugServer ? this.debugServer.close(() => resolve()) : resolve()));
    await removeQuietly(this.plan.docker, this.container.id);
  }

  private async open(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    // The engine's port proxy may accept before the relay listens: only the relay's `ready` counts.
    for (;;) {
      const uplink = await this.idleUplink().catch((error: unknown) => error as Error);
      if (!(uplink instanceof Error)) {
        this.serve(uplink);
        break;
      }
      if (Date.now() > deadline) throw uplink;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
    for (let i = 1; i < IDLE_UPLINKS; i++) this.replenish();
    if (this.plan.debugPort !== undefined) this.debugServer = await this.forwardDebugPort(this.plan.debugPort);
  }

  /** An uplink the relay has accepted as idle (it answered `ready`). */
  private async idleUplink(): Promise<Duplex> {
    const uplink = await this.uplink(RELAY_IDLE);
    const answer = await readHeaderLine(uplink);
    if (answer !== RELAY_READY) {
      uplink.destroy();
      throw new Error(`the relay did not answer on port ${this.uplinkPort} of the engine's host`);
    }
    return uplink;
  }

  private async uplink(header: string): Promise<Duplex> {
    const uplink = await this.plan.dialer.dial(this.uplinkPort);
    this.track(uplink);
    uplink.on('error', () => uplink.destroy());
    uplink.write(`${this.token} ${header}\n`);
    return uplink;
  }

  /** Waits for the relay to hand a connection over on `uplink`, then carries it to the same port of this machine's loopback. */
  private serve(uplink: Duplex): void {
    void readHeaderLine(uplink).then((line) => {
      if (this.closed) return;
      this.replenish();
      const port = Number(line);
      if (!this.plan.reversePorts.includes(port)) return void uplink.destroy();
      const local = connect(port, '127.0.0.1', () => splice(uplink, local));
      this.track(local);
      local.on('error', () => uplink.destroy());
    });
  }

  /** One more idle uplink; a failure is retried while the relay is open (the function's container ends without it anyway). */
  private replenish(): void {
    if (this.closed) return;
    this.idleUplink().then(
      (uplink) => (this.closed ? uplink.destroy() : this.serve(uplink)),
      () => setTimeout(() => this.replenish(), RETRY_DELAY_MS).unref(),
    );
  }

  /** The debugger attaches to 127.0.0.1:port here, as for a local container; each connection is an uplink asking for that port inside. */
  private forwardDebugPort(port: number): Promise<Server> {
    const server = createServer({ pauseOnConnect: true }, (debuggerSocket) => {
      this.track(debuggerSocket);
      this.uplink(`${RELAY_CONNECT} ${port}`).then(
        (uplink) => splice(debuggerSocket, uplink),
        () => debuggerSocket.destroy(),
      );
    });
    return new Promise((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve(server)));
  }

  private track(socket: Duplex): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }
}

function splice(a: Duplex | Socket, b: Duplex | Socket): void {
  a.on('close', () => b.destroy());
  b.on('close', () => a.destroy());
  a.pipe(b);
  b.pipe(a);
  a.resume();
  b.resume();
}

/** A port inside the relay's network that none of the relayed ports uses. */
function uplinkPortInside(plan: RelayPlan): number {
  const taken = new Set([...plan.reversePorts, plan.debugPort]);
  let port = 9000;
  while (taken.has(port)) port += 1;
  return port;
}

/** An image with Node.js at /var/lang/bin/node already on the engine (a local Node runtime image or an AWS Node image), else AWS's pulled. */
async function relayImage(docker: Dockerode, architecture: Architecture, onProgress?: (progress: ImagePullProgress) => void): Promise<string> {
  const tags = (await docker.listImages()).flatMap((image) => image.RepoTags ?? []);
  const present =
    tags.find((tag) => tag.startsWith(`${LOCAL_IMAGE_REPOSITORY}:nodejs`)) ?? tags.find((tag) => tag.startsWith(`${OFFICIAL_IMAGE_REPOSITORY}/nodejs:`));
  if (present) return present;
  const official = officialImageFor('nodejs22.x', architecture);
  await ensureImage(docker, official, { platform: platformFor(architecture), onProgress });
  return official;
}
