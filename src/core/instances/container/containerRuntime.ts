// One execution environment as a container: output streamed line by line, exit and out-of-memory detection, pause/unpause, removal.
import { constants } from 'node:os';
import { PassThrough, type Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import { LineSplitter } from '../../common/lineSplitter';
import { LOG_LINE_LIMIT } from '../../logs/logRecord';
import type { ExitInfo, LaunchRequest, RuntimeHandle } from '../backend';
import { removeQuietly } from './containerLabels';
import { containerMemory, type ContainerMemory } from './containerMemory';
import type { EngineRelay } from './engineRelay';
import type { OutputPipes } from './outputPipes';
import { wrappedExit } from '../exitStatus';

const BYTES_PER_MB = 1024 * 1024;
/** Exit status of a process ended by SIGKILL (128 + 9): what the kernel's OOM killer leaves. */
const SIGKILL_STATUS = 128 + constants.signals.SIGKILL;

export interface ContainerRuntimeOptions {
  docker: Dockerode;
  container: Dockerode.Container;
  request: LaunchRequest;
  /** The runtime client is ours and writes flush markers (our images of custom runtimes run the user's bootstrap). */
  ours: boolean;
  /** The engine runs containers on this machine's kernel (its cgroup files are readable). */
  localEngine: boolean;
  /** The runtime's output comes through these pipes; the engine only holds what the bootstrap printed before handing over. */
  pipes?: OutputPipes;
  /** With `pipes`: the runtime client also gets the runtime channel's FIFOs there (our Node.js and Python images). */
  channel?: boolean;
  /** The engine does not see this machine's files: /tmp lives in the container and is copied back when it ends (codeArchive.ts). */
  copiesFiles?: boolean;
  /** The relay whose network the container joined (engines on another machine): removed after the container. */
  relay?: EngineRelay;
}

export class ContainerRuntime implements RuntimeHandle {
  readonly instanceId: string;
  readonly displayId: string;
  readonly writesFlushMarkers: boolean;
  readonly exited: Promise<ExitInfo>;
  private readonly docker: Dockerode;
  private readonly container: Dockerode.Container;
  private readonly request: LaunchRequest;
  private readonly memory: ContainerMemory;
  private readonly pipes: OutputPipes | undefined;
  private readonly channelWanted: boolean;
  /** The runtime channel (RuntimeHandle), open from start() on. */
  channel: Duplex | undefined;
  private readonly copiesFiles: boolean;
  private readonly relay: EngineRelay | undefined;
  private readonly stdout: LineSplitter;
  private readonly stderr: LineSplitter;
  private resolveExit!: (info: ExitInfo) => void;
  private stopping: Promise<void> | undefined;
  private frozen = false;
  private pausing: Promise<unknown> | undefined;
  private running = false;
  private lastPeakBytes = 0;

  constructor(options: ContainerRuntimeOptions) {
    this.docker = options.docker;
    this.container = options.container;
    this.request = options.request;
    this.instanceId = options.request.instanceId;
    this.displayId = `container ${options.container.id.slice(0, 12)}`;
    this.writesFlushMarkers = options.ours;
    this.memory = containerMemory(options.container, options.localEngine);
    this.pipes = options.pipes;
    this.channelWanted = options.channel === true && options.pipes !== undefined;
    this.copiesFiles = options.copiesFiles ?? false;
    this.relay = options.relay;
    this.stdout = new LineSplitter((line) => this.request.onOutput('stdout', line), LOG_LINE_LIMIT);
    this.stderr = new LineSplitter((line) => this.request.onOutput('stderr', line), LOG_LINE_LIMIT);
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  /**
   * Reads the output (the pipes, else the engine's attach stream), starts the container and watches for its end.
   * Removes the container if it cannot start.
   */
  async start(): Promise<void> {
    try {
      if (this.pipes) {
        this.pipes.read((stream, line) => this.request.onOutput(stream, line));
        if (this.channelWanted) this.channel = this.pipes.openChannel();
      } else {
        this.pipeOutput(await this.container.attach({ stream: true, stdout: true, stderr: true, logs: false }));
      }
      await this.container.start();
      this.running = true;
    } catch (error) {
      await removeQuietly(this.docker, this.container.id);
      await this.pipes?.discard();
      await this.relay?.close();
      this.resolveExit({ code: null, signal: null, outOfMemory: false });
      throw error;
    }
    void this.watchExit();
  }

  async maxMemoryUsedMB(): Promise<number> {
    if (this.running) this.lastPeakBytes = Math.max(this.lastPeakBytes, await this.memory.peakBytes());
    return Math.ceil(this.lastPeakBytes / BYTES_PER_MB);
  }

  async currentMemoryMB(): Promise<number> {
    return this.running ? Math.ceil((await this.memory.currentBytes()) / BYTES_PER_MB) : 0;
  }

  async freeze(): Promise<void> {
    // A debugged runtime stays live: the debugger's connection must not stall.
    if (this.running && !this.frozen && !this.request.debug && !this.stopping) {
      this.frozen = true;
      this.pausing = this.container.pause();
      try {
        await this.pausing;
      } catch {
        // The engine could not freeze the container's cgroup (a process in uninterruptible sleep on a busy host), or it
        // is ending: it stays running, as an environment Lambda has not frozen yet.
        this.frozen = false;
      }
    }
  }

  async thaw(): Promise<void> {
    if (this.frozen && !this.stopping) {
      // Pause and unpause travel on separate connections: an unpause sent while the pause is in flight finds the
      // container "not paused" (seen through a tcp:// engine's extra hop).
      await this.pausing?.catch(() => undefined);
      if (!this.frozen) return;
      await this.container.unpause();
      this.frozen = false;
    }
  }

  /**
   * Kills and removes the container (paused or not); resolves once it is gone. With copied files it is killed first and
   * removed once its /tmp is copied back (watchExit), so the environment's next runtime finds it.
   */
  stop(): Promise<void> {
    this.stopping ??= (
      this.copiesFiles
        ? this.kill().then(() => this.exited).then(() => removeQuietly(this.docker, this.container.id))
        : removeQuietly(this.docker, this.container.id).then(() => this.exited.then(() => undefined))
    ).then(() => this.relay?.close());
    return this.stopping;
  }

  private async kill(): Promise<void> {
    if (this.frozen) {
      await this.pausing?.catch(() => undefined);
      await this.container.unpause().catch(() => undefined);
    }
    // Not running (any more), or gone: watchExit sees the end either way.
    await this.container.kill().catch(() => undefined);
  }

  private pipeOutput(output: NodeJS.ReadableStream): void {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    stdout.on('data', (chunk: Buffer) => this.stdout.push(chunk));
    stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    this.docker.modem.demuxStream(output, stdout, stderr);
    // An engine that goes away ends the stream with an error; the exit watcher reports the end.
    output.on('error', () => undefined);
  }

  /**
   * Waits for the container to end, reads why (exit status, OOM kill) and the output still in flight, then removes
   * it so nothing lingers.
   */
  private async watchExit(): Promise<void> {
    let exitCode: number | null = null;
    let oomKilled = false;
    let bootstrapOutput: Buffer | undefined;
    try {
      exitCode = ((await this.container.wait({ condition: 'not-running' })) as { StatusCode: number }).StatusCode;
      const [inspected, logs] = await Promise.all([this.container.inspect(), this.pipes && !this.stopping ? this.bootstrapLogs() : undefined]);
      exitCode = inspected.State.ExitCode;
      oomKilled = inspected.State.OOMKilled;
      bootstrapOutput = logs;
    } catch {
      // Removed by stop() (or the engine went away) before its state could be read: it was killed.
    }
    this.running = false;
    this.memory.close();
    // The kernel OOM-kills a cgroup when its usage reaches the limit: that is the peak, whatever was sampled before.
    if (oomKilled) this.lastPeakBytes = Math.max(this.lastPeakBytes, this.request.spec.memorySizeMB * BYTES_PER_MB);
    // The container's processes are gone, so are their write ends: the pipes end once what is left in them is read.
    await this.pipes?.close();
    // Removed by someone else meanwhile: its /tmp is gone with it, as after a crash.
    if (this.copiesFiles) await import('./codeArchive.js').then(({ downloadTmp }) => downloadTmp(this.container, this.request.tmpDir)).catch(() => undefined);
    if (bootstrapOutput) this.pushMultiplexed(bootstrapOutput);
    this.stdout.flush();
    this.stderr.flush();
    if (!this.stopping) {
      await removeQuietly(this.docker, this.container.id).catch(() => undefined);
      await this.relay?.close();
    }
    this.resolveExit(this.exitInfo(exitCode, oomKilled));
  }

  /** What the bootstrap printed before handing its output to the pipes (an error, when it could not start the runtime). */
  private async bootstrapLogs(): Promise<Buffer | undefined> {
    try {
      return (await this.container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    } catch {
      // Removed meanwhile (a reaper, the user): its exit status still counts, its log is gone with it.
      return undefined;
    }
  }

  /** The engine's multiplexed stream format: frames of [stream type, 0, 0, 0, size (uint32 BE)] then the bytes. */
  private pushMultiplexed(data: Buffer): void {
    for (let at = 0; at + 8 <= data.length; ) {
      const size = data.readUInt32BE(at + 4);
      const frame = data.subarray(at + 8, at + 8 + size);
      (data[at] === 2 ? this.stderr : this.stdout).push(frame);
      at += 8 + size;
    }
  }

  private exitInfo(exitCode: number | null, oomKilled: boolean): ExitInfo {
    if (this.stopping) return { code: null, signal: 'SIGKILL', outOfMemory: false };
    const limitBytes = this.request.spec.memorySizeMB * BYTES_PER_MB;
    // Some engines miss the OOM event; a SIGKILL we did not send while at the limit is the kernel's OOM killer.
    const outOfMemory = oomKilled || (exitCode === SIGKILL_STATUS && this.lastPeakBytes >= limitBytes * 0.95);
    // The engine reports a process ended by signal N as status 128+N.
    return { ...wrappedExit(exitCode), outOfMemory };
  }
}
