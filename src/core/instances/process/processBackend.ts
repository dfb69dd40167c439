// The embedded default backend: each execution environment is a local child process (no Docker needed).
import { spawn, type ChildProcess } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { RUNTIME_CHANNEL_FD } from '../../../shared/runtimeChannel';
import { BREAK_ON_HANDLER_ENV } from '../../../shared/runtimeProtocol';
import { LineSplitter } from '../../common/lineSplitter';
import { LOG_LINE_LIMIT } from '../../logs/logRecord';
import type { FunctionSpec } from '../../template/functionSpec';
import type { Backend, ExitInfo, LaunchRequest, RuntimeHandle } from '../backend';
import { cannotRunOn, type RunBlocker } from '../runtimeSupport';
import { imageRuntimeVersion, type RuntimeVersion } from '../runtimeVersion';
import { isNodeRuntime, isPythonRuntime } from '../../template/lambdaRuntimes';
import { resolveInterpreter, type Interpreter, type InterpreterOptions } from './interpreters';
import { ProcessMemoryReader } from './processMemory';
import { hostPythonSdk } from '../../images/pythonSdkFiles';
import { compilePythonClient } from './pythonBytecode';
import { runtimeCommand, type RuntimeCommand } from './runtimeCommand';
import { probeBubblewrap, SANDBOX_VIEW, sandboxedCommand, sandboxedPid, saveSandboxTmp } from './sandbox';
import { diesWithParent } from './parentDeath';
import { wrappedExit } from '../exitStatus';
import { firstChild, killProcessGroup, trackProcessGroup, untrackProcessGroup } from './processGroups';
import { reapedCommand } from './environmentReaper';

/** What stands between the spawned process and the runtime: bubblewrap, the subreaper launcher, or nothing. */
type Wrapper = 'bubblewrap' | 'reaper' | undefined;

/** How often a busy process's memory is compared with its limit. */
const MEMORY_POLL_MS = 100;
/** How long bubblewrap gets to reap a killed runtime and exit before its whole group is killed. */
const SANDBOX_EXIT_WAIT_MS = 2_000;

export interface ProcessBackendOptions extends InterpreterOptions {
  /** `auto` (default): Lambda's filesystem through bubblewrap where it works (sandbox.ts); `off`: the code runs from its folder. */
  sandbox?: 'auto' | 'off';
}

export class ProcessBackend implements Backend {
  readonly kind = 'process' as const;
  private readonly handles = new Set<ProcessRuntime>();
  /** One interpreter per runtime for the backend's life, so every environment of a function runs the same one. */
  private readonly interpreters = new Map<string, Promise<Interpreter>>();

  constructor(private readonly options: ProcessBackendOptions = {}) {
    // Whether bubblewrap works here is learnt while the service starts, not at the first launch (sandbox.ts).
    if (options.sandbox !== 'off') void probeBubblewrap();
  }

  cannotRun(spec: FunctionSpec): RunBlocker | undefined {
    return cannotRunOn('process', spec);
  }

  async runtimeVersion(spec: FunctionSpec): Promise<RuntimeVersion> {
    const interpreter = await this.interpreterFor(spec);
    // A custom runtime brings its own bootstrap: named as Lambda names them (provided:al2023.v1).
    if (!interpreter) return imageRuntimeVersion(spec);
    const family = interpreter.runtime.startsWith('nodejs') ? 'nodejs' : 'python';
    return {
      version: `${family}:${interpreter.version}`,
      fingerprint: `${interpreter.runtime}\n${interpreter.command}\n${interpreter.version}`,
      ...(interpreter.mismatch ? { warning: interpreter.mismatch } : {}),
    };
  }

  kindFor(): 'process' {
    return this.kind;
  }

  async launch(request: LaunchRequest): Promise<RuntimeHandle> {
    const interpreter = await this.interpreterFor(request.spec);
    // Debugging runs unsandboxed, so the debugger's paths are the workspace's own.
    const bwrap = this.options.sandbox !== 'off' && !request.debug ? await probeBubblewrap() : undefined;
    const host = { HOME: process.env.HOME ?? request.tmpDir, ...(request.debug?.breakOnStart ? { [BREAK_ON_HANDLER_ENV]: '1' } : {}) };
    // boto3 for Python functions whose interpreter has none, as Lambda's runtimes provide it: a host Python's.
    const pythonSdkDirs = isPythonRuntime(request.spec.runtime) ? ((await hostPythonSdk())?.siteDirs ?? []) : [];
    // For the environments after this one (pythonBytecode.ts).
    if (interpreter && isPythonRuntime(request.spec.runtime)) compilePythonClient(interpreter);
    const { command, wrapper } = wrappedCommand(request, interpreter?.command, bwrap, pythonSdkDirs);
    const env = bwrap ? command.env : { ...request.environment, ...command.env, TMPDIR: request.tmpDir };
    const child = spawn(command.command, command.args, {
      cwd: request.codeDir,
      env: { ...host, ...env },
      // Our Node.js runtime client gets the runtime channel on descriptor 3 (RUNTIME_CHANNEL_FD).
      stdio: command.channel ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
      // Its own process group, so stop() ends everything the handler started.
      detached: true,
    });
    const handle = new ProcessRuntime(request, child, command.ours, wrapper);
    this.handles.add(handle);
    void handle.exited.then(() => this.handles.delete(handle));
    await handle.spawned;
    return handle;
  }

  /** The Node.js or Python interpreter of a managed runtime; undefined for custom runtimes (their bootstrap). */
  private interpreterFor(spec: FunctionSpec): Promise<Interpreter | undefined> {
    const runtime = spec.runtime ?? '';
    if (spec.packageType !== 'Zip' || !(isNodeRuntime(runtime) || isPythonRuntime(runtime))) return Promise.resolve(undefined);
    let interpreter = this.interpreters.get(runtime);
    if (!interpreter) {
      interpreter = resolveInterpreter(runtime, this.options);
      this.interpreters.set(runtime, interpreter);
    }
    return interpreter;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.handles].map((handle) => handle.stop()));
  }
}

/**
 * The command that starts the runtime: in bubblewrap; else under the subreaper launcher (Linux with python3); else with a
 * parent-death signal only.
 */
function wrappedCommand(
  request: LaunchRequest,
  interpreter: string | undefined,
  bwrap: string | undefined,
  pythonSdkDirs: readonly string[],
): { command: RuntimeCommand; wrapper: Wrapper } {
  if (bwrap) {
    const runtime = runtimeCommand(request, interpreter, SANDBOX_VIEW, pythonSdkDirs);
    return { command: sandboxedCommand(bwrap, request, runtime, interpreter, pythonSdkDirs), wrapper: 'bubblewrap' };
  }
  const runtime = runtimeCommand(request, interpreter, undefined, pythonSdkDirs);
  const reaped = reapedCommand(runtime);
  return reaped ? { command: reaped, wrapper: 'reaper' } : { command: diesWithParent(runtime), wrapper: undefined };
}

class ProcessRuntime implements RuntimeHandle {
  readonly instanceId: string;
  readonly displayId: string;
  readonly writesFlushMarkers: boolean;
  readonly channel: Duplex | undefined;
  readonly channelPeakMemory = true;
  readonly exited: Promise<ExitInfo>;
  readonly spawned: Promise<void>;
  private peakMB = 0;
  private killedForMemory = false;
  private frozen = false;
  private alive = true;
  private readonly memoryTimer: NodeJS.Timeout;

  /** The runtime's own pid under its wrapper (the spawned process is bwrap or the launcher), once known. */
  private wrappedRuntimePid: number | undefined;
  private memoryReader: ProcessMemoryReader | undefined;

  constructor(
    private readonly request: LaunchRequest,
    private readonly child: ChildProcess,
    ours: boolean,
    private readonly wrapper: Wrapper,
  ) {
    this.instanceId = request.instanceId;
    this.writesFlushMarkers = ours;
    this.channel = (child.stdio[RUNTIME_CHANNEL_FD] ?? undefined) as Duplex | undefined;
    const pid = child.pid ?? -1;
    this.displayId = `pid ${pid}`;
    // The launcher, told by SIGTERM (SIGCONT in case it was frozen), ends everything its runtime left before it exits.
    if (pid > 0) trackProcessGroup(pid, wrapper === 'reaper' ? () => this.endReaper() : undefined);

    const stdout = new LineSplitter((line) => request.onOutput('stdout', line), LOG_LINE_LIMIT);
    const stderr = new LineSplitter((line) => request.onOutput('stderr', line), LOG_LINE_LIMIT);
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));

    this.spawned = new Promise((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (error) => reject(error));
    });
    this.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        this.alive = false;
        clearInterval(this.memoryTimer);
        this.memoryReader?.close();
        untrackProcessGroup(pid);
        // The runtime's own children may still hold the group: end them too.
        killProcessGroup(pid);
        stdout.flush();
        stderr.flush();
        // Bubblewrap and the launcher exit with their runtime's status: 128 + N when signal N ended it.
        const how = wrapper && signal === null ? wrappedExit(code) : { code, signal };
        resolve({ ...how, outOfMemory: this.killedForMemory });
      });
    });
    this.spawned.catch(() => undefined);
    this.memoryTimer = setInterval(() => this.checkMemory(), MEMORY_POLL_MS);
    this.memoryTimer.unref();
  }

  async maxMemoryUsedMB(): Promise<number> {
    this.sample();
    return this.peakMB;
  }

  async currentMemoryMB(): Promise<number> {
    return this.sample()?.rssMB ?? 0;
  }

  async freeze(): Promise<void> {
    if (this.alive && !this.frozen && !this.request.debug) {
      this.frozen = true;
      this.signal('SIGSTOP');
      // The launcher stays awake: a stopped one could not end the environment when the service dies.
      if (this.wrapper === 'reaper') this.signalLauncher('SIGCONT');
    }
  }

  async thaw(): Promise<void> {
    if (this.frozen) {
      this.frozen = false;
      this.signal('SIGCONT');
    }
  }

  async stop(): Promise<void> {
    if (this.alive) {
      const pid = this.wrapper === 'bubblewrap' ? this.runtimePid() : undefined;
      if (pid) {
        // The sandbox's /tmp lives as long as the runtime: keep it for the environment's next runtime, as Lambda does.
        this.signal('SIGSTOP');
        try {
          saveSandboxTmp(pid, this.request.tmpDir);
        } catch {
          // a /tmp that cannot be read back is lost with the runtime, as after a crash
        }
      }
      this.kill();
    }
    await this.exited;
  }

  /**
   * Ends the runtime. Wrapped, the runtime is killed first and its wrapper (bubblewrap, or the launcher, which also kills
   * what the runtime left) reaps it and exits (so no zombie outlives stop()); the rest of the group is ended after it.
   */
  private kill(): void {
    const pid = this.wrapper ? this.runtimePid() : undefined;
    if (!pid) {
      this.signal('SIGKILL');
      return;
    }
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    this.signal('SIGCONT');
    setTimeout(() => this.alive && this.signal('SIGKILL'), SANDBOX_EXIT_WAIT_MS).unref();
  }

  /** The process whose memory is the environment's: the runtime, inside bubblewrap or under the launcher. */
  private runtimePid(): number | undefined {
    const pid = this.child.pid;
    if (!pid || !this.wrapper) return pid;
    this.wrappedRuntimePid ??= this.wrapper === 'bubblewrap' ? sandboxedPid(pid) : firstChild(pid);
    return this.wrappedRuntimePid;
  }

  /** Asks the launcher to end the environment (it kills every descendant, then exits). */
  private endReaper(): void {
    this.signalLauncher('SIGTERM');
    this.signal('SIGCONT');
  }

  /** The launcher alone (not its group); it may have ended meanwhile. */
  private signalLauncher(signal: NodeJS.Signals): void {
    if (!this.child.pid) return;
    try {
      process.kill(this.child.pid, signal);
    } catch {
      // already gone
    }
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.child.pid) killProcessGroup(this.child.pid, signal);
  }

  private sample() {
    const pid = this.runtimePid();
    if (!pid || !this.alive) return undefined;
    this.memoryReader ??= new ProcessMemoryReader(pid);
    const memory = this.memoryReader.read();
    if (memory) this.peakMB = Math.max(this.peakMB, memory.peakMB);
    return memory;
  }

  /** Lambda ends an environment that goes over its memory size; so do we (Runtime.OutOfMemory). */
  private checkMemory(): void {
    if (this.frozen) return;
    const memory = this.sample();
    if (memory && memory.rssMB > this.request.spec.memorySizeMB && this.alive) {
      this.killedForMemory = true;
      this.kill();
    }
  }
}
