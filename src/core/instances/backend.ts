// The seam between the engine and where handler code runs: a backend launches one runtime (process or container).
import type { Duplex } from 'node:stream';
import type { FunctionSpec } from '../template/functionSpec';
import type { RunBlocker } from './runtimeSupport';
import type { RuntimeVersion } from './runtimeVersion';

export type BackendKind = 'process' | 'container';

/** How to start one execution environment. Everything a backend needs, already resolved by the engine. */
export interface LaunchRequest {
  /** Unique per instance, e.g. "HelloFunction-3f2a". */
  instanceId: string;
  spec: FunctionSpec;
  /** Directory with the code to run (the build output for built functions), mounted at /var/task in containers. */
  codeDir: string;
  /** Layer directories in order, extracted at /opt in containers (process backend exposes them via NODE_PATH/PYTHONPATH). */
  layerDirs: string[];
  /** The instance's writable /tmp on the host. Survives resets of the same environment. */
  tmpDir: string;
  /** host:port of the instance's Runtime API server, as reachable from the host (127.0.0.1:N). */
  runtimeApiHostPort: string;
  /** The Lambda environment of the contract, customer variables included (backends adjust paths, never values). */
  environment: Record<string, string>;
  /** A node_modules folder with the AWS SDK packages the code imports but does not bundle (Lambda's /var/runtime/node_modules). */
  sdkModulesDir?: string;
  /** Debugging: open the inspector (Node) or debugpy (Python) on this loopback port. */
  debug?: { port: number; breakOnStart: boolean };
  /** Receives the runtime's output, one line at a time (without the trailing newline), as it is produced. */
  onOutput(stream: 'stdout' | 'stderr', line: string): void;
}

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  /** The backend knows the runtime was killed for exceeding its memory limit. */
  outOfMemory: boolean;
}

/** A running runtime. The engine owns its lifecycle through this handle. */
export interface RuntimeHandle {
  readonly instanceId: string;
  /** Process id (process backend) or container id (container backend), for display. */
  readonly displayId: string;
  /** The runtime is one of ours and writes FLUSH_MARKER lines (src/shared/runtimeProtocol.ts) before each result. */
  readonly writesFlushMarkers?: boolean;
  /** The runtime channel to our runtime client (src/shared/runtimeChannel.ts): process backend, our Node.js or Python image in a container. */
  readonly channel?: Duplex;
  /**
   * The peak memory our runtime client sends with its results on the channel is the environment's: true for a process;
   * a container's cgroup also counts what else runs in it, so its own reading stands.
   */
  readonly channelPeakMemory?: boolean;
  /** Resolves once when the runtime ends, for whatever reason. */
  readonly exited: Promise<ExitInfo>;
  /** Peak memory of the environment in MB, measured from the runtime itself. */
  maxMemoryUsedMB(): Promise<number>;
  /** Current memory in MB (for limit enforcement while an invocation runs). */
  currentMemoryMB(): Promise<number>;
  /** Freeze between invocations and thaw before the next one (containers pause; processes may SIGSTOP). */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** End the runtime and everything it started; resolves when it is gone. Idempotent. */
  stop(): Promise<void>;
}

export interface Backend {
  /** Where this backend runs the environments of `spec` (a choice of `auto` decides per function). */
  kindFor(spec: FunctionSpec): BackendKind;
  /** Why this backend cannot run `spec` at all (runtime, package type; see runtimeSupport.ts), before any launch. */
  cannotRun(spec: FunctionSpec): RunBlocker | undefined;
  /** The version an environment of `spec` runs (INIT_START), with a warning when it is not the runtime's own. */
  runtimeVersion(spec: FunctionSpec): Promise<RuntimeVersion>;
  /** Throws WorkbenchError (RUNTIME_UNSUPPORTED, DOCKER_UNAVAILABLE, ...) with an actionable message. */
  launch(request: LaunchRequest): Promise<RuntimeHandle>;
  /** Stops every runtime this backend started. */
  dispose(): Promise<void>;
}
