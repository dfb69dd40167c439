// Turns a LaunchRequest into the engine's container-create options: mounts, environment, memory, network, debug port, labels.
import type Dockerode from 'dockerode';
import { BREAK_ON_HANDLER_ENV, DEBUGPY_HOST_ENV, DEBUGPY_PORT_ENV, QUIET_RESULTS_ENV, SDK_MODULES_ENV } from '../../../shared/runtimeProtocol';
import { WorkbenchError } from '../../common/errors';
import { OUTPUT_PIPES_ENV } from '../../images/localImages';
import { CONTAINER_HOST_ALIAS } from '../../runtimeApi/runtimeApiServer';
import type { LaunchRequest } from '../backend';
import { containerLabels } from './containerLabels';
import { layerMounts, type BindMount } from '../layerMounts';
import { OUTPUT_PIPES_TARGET } from './outputPipes';

/** Lambda's sandbox user (sbx_user1051 in the images' /etc/passwd): runs the function when its files are uploaded. */
export const SANDBOX_USER = { uid: 993, gid: 990 };

/**
 * host: the container shares the host's network (Linux), so 127.0.0.1 is the host's loopback. container:<id>: the network
 * of a relay (engines on another machine), whose 127.0.0.1 ports reach this machine's loopback ports of the same numbers.
 */
export type ContainerNetworkMode = 'host' | 'bridge' | `container:${string}`;

export interface ContainerPlan {
  image: string;
  /** The image runs our runtime client (a local runtime image) rather than an official or user image. */
  ours: boolean;
  networkMode: ContainerNetworkMode;
  sessionId: string;
  /** Host directory of the FIFOs our runtime's output goes to (images with the output-pipes label, same kernel only). */
  outputPipesDir?: string;
  /**
   * The engine may not see this machine's files (tcp://, ssh://): nothing is bind-mounted; the code, layers and /tmp are
   * uploaded into the container before it starts (codeArchive.ts).
   */
  copiesFiles?: boolean;
  /**
   * Podman gives containers a process limit (RLIMIT_NPROC) of its own, which it cannot set where its own hard limit is
   * lower ("error setting rlimit type 6"): Lambda's limit is set instead. Docker sets none (the cgroup's pids limit holds).
   */
  podman?: boolean;
}

const TASK_ROOT = '/var/task';
const RUNTIME_DIR = '/var/runtime';
/** The hostname Docker Desktop (and `host-gateway` elsewhere) gives the host. */
/** Lambda's own limits on open files and processes (contract §2 quotas). */
const LAMBDA_FILE_LIMIT = 1024;
const LAMBDA_PROCESS_LIMIT = 1024;

export function containerCreateOptions(request: LaunchRequest, plan: ContainerPlan): Dockerode.ContainerCreateOptions {
  const { spec } = request;
  const bridge = plan.networkMode === 'bridge';
  const memoryBytes = spec.memorySizeMB * 1024 * 1024;
  const debugPort = request.debug ? `${request.debug.port}/tcp` : undefined;
  const image = spec.packageType === 'Image';
  return {
    name: `lambda-workbench-${plan.sessionId.slice(0, 8)}-${request.instanceId}`.replace(/[^a-zA-Z0-9_.-]/g, '-'),
    Image: plan.image,
    ...(image ? imageCommand(request) : plan.ours ? {} : { Cmd: [spec.handler ?? ''] }),
    Env: Object.entries(containerEnvironment(request, plan)).map(([name, value]) => `${name}=${value}`),
    Labels: containerLabels(plan.sessionId, request.instanceId, spec.functionName),
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    OpenStdin: false,
    ...containerUser(plan),
    ...(bridge && debugPort ? { ExposedPorts: { [debugPort]: {} } } : {}),
    HostConfig: {
      NetworkMode: plan.networkMode,
      ...(bridge ? { ExtraHosts: [`${CONTAINER_HOST_ALIAS}:host-gateway`] } : {}),
      // The debugger port is published on the host's loopback only, never on every interface.
      ...(bridge && debugPort ? { PortBindings: { [debugPort]: [{ HostIp: '127.0.0.1', HostPort: String(request.debug!.port) }] } } : {}),
      Memory: memoryBytes,
      MemorySwap: memoryBytes,
      PidsLimit: LAMBDA_PROCESS_LIMIT,
      Ulimits: [
        { Name: 'nofile', Soft: LAMBDA_FILE_LIMIT, Hard: LAMBDA_FILE_LIMIT },
        ...(plan.podman ? [{ Name: 'nproc', Soft: LAMBDA_PROCESS_LIMIT, Hard: LAMBDA_PROCESS_LIMIT }] : []),
      ],
      Mounts: mounts(request, plan),
    },
  };
}

/**
 * Bind-mounted /tmp: files the function writes belong to the user on the host, not to root. Uploaded files: Lambda's
 * sandbox user, who cannot change the root-owned code (bind mounts make it read-only instead).
 */
function containerUser(plan: ContainerPlan): Pick<Dockerode.ContainerCreateOptions, 'User'> {
  if (plan.copiesFiles) return { User: `${SANDBOX_USER.uid}:${SANDBOX_USER.gid}` };
  return process.platform === 'linux' && process.getuid && process.getuid() !== 0 ? { User: `${process.getuid()}:${process.getgid?.() ?? 0}` } : {};
}

function imageCommand(request: LaunchRequest): Partial<Dockerode.ContainerCreateOptions> {
  const config = request.spec.imageConfig ?? {};
  return {
    ...(config.command ? { Cmd: config.command } : {}),
    ...(config.entryPoint ? { Entrypoint: config.entryPoint } : {}),
    ...(config.workingDirectory ? { WorkingDir: config.workingDirectory } : {}),
  };
}

function mounts(request: LaunchRequest, plan: ContainerPlan): BindMount[] {
  if (plan.copiesFiles) return [];
  const code: BindMount[] =
    request.spec.packageType === 'Image' ? [] : [{ Type: 'bind', Source: request.codeDir, Target: TASK_ROOT, ReadOnly: true }];
  const pipes: BindMount[] = plan.outputPipesDir ? [{ Type: 'bind', Source: plan.outputPipesDir, Target: OUTPUT_PIPES_TARGET, ReadOnly: false }] : [];
  return [...code, ...layerMounts(request.layerDirs), ...sdkMounts(request, plan), { Type: 'bind', Source: request.tmpDir, Target: '/tmp', ReadOnly: false }, ...pipes];
}

/** Where Lambda's Node.js images keep the AWS SDK; our local images get the SDK a function imports mounted there. */
const RUNTIME_SDK_DIR = `${RUNTIME_DIR}/node_modules`;

/** Official images ship their own SDK; on engines that copy files instead of mounting, our images go without it. */
function sdkMounts(request: LaunchRequest, plan: ContainerPlan): BindMount[] {
  return plan.ours && request.sdkModulesDir ? [{ Type: 'bind', Source: request.sdkModulesDir, Target: RUNTIME_SDK_DIR, ReadOnly: true }] : [];
}

/** The loopback ports of this machine a function connects to: its Runtime API and the local AWS endpoints it is given. */
export function loopbackPortsReached(request: LaunchRequest): number[] {
  const endpoints = Object.entries(request.environment)
    .filter(([name]) => name.startsWith('AWS_ENDPOINT_URL'))
    .map(([, value]) => /^http:\/\/127\.0\.0\.1:(\d+)/.exec(value)?.[1]);
  const ports = [request.runtimeApiHostPort.slice(request.runtimeApiHostPort.lastIndexOf(':') + 1), ...endpoints];
  return [...new Set(ports.filter((port): port is string => port !== undefined).map(Number))];
}

/** The contract's environment with host paths replaced by their places in the container, plus runtime wiring. */
function containerEnvironment(request: LaunchRequest, plan: ContainerPlan): Record<string, string> {
  const hostPaths: [string, string][] = [
    [request.codeDir, TASK_ROOT],
    [request.tmpDir, '/tmp'],
    ...request.layerDirs.map((dir): [string, string] => [dir, '/opt']),
  ];
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.environment)) {
    env[name] = hostPaths.reduce((text, [host, inside]) => text.split(host).join(inside), value);
    // The local AWS endpoint listens on the host's loopback, which a bridged container reaches by the host's alias.
    if (plan.networkMode === 'bridge' && name.startsWith('AWS_ENDPOINT_URL')) env[name] = value.replace(/^http:\/\/127\.0\.0\.1:/, `http://${CONTAINER_HOST_ALIAS}:`);
  }
  const port = request.runtimeApiHostPort.slice(request.runtimeApiHostPort.lastIndexOf(':') + 1);
  Object.assign(env, {
    LAMBDA_TASK_ROOT: TASK_ROOT,
    LAMBDA_RUNTIME_DIR: RUNTIME_DIR,
    AWS_LAMBDA_RUNTIME_API: plan.networkMode === 'bridge' ? `${CONTAINER_HOST_ALIAS}:${port}` : request.runtimeApiHostPort,
  });
  if (plan.ours) Object.assign(env, ourRuntimePaths(request));
  if (plan.ours && !plan.copiesFiles && request.sdkModulesDir) env[SDK_MODULES_ENV] = RUNTIME_SDK_DIR;
  if (plan.outputPipesDir) env[OUTPUT_PIPES_ENV] = OUTPUT_PIPES_TARGET;
  if (request.debug) Object.assign(env, debugEnvironment(request, plan, env.NODE_OPTIONS));
  return env;
}

/** Module paths as Lambda sets them; official images carry their own. */
function ourRuntimePaths(request: LaunchRequest): Record<string, string> {
  const runtime = request.spec.runtime ?? '';
  const nodeMajor = /^nodejs(\d+)/.exec(runtime)?.[1];
  if (nodeMajor) {
    return {
      NODE_PATH: [`/opt/nodejs/node${nodeMajor}/node_modules`, '/opt/nodejs/node_modules', `${RUNTIME_DIR}/node_modules`, RUNTIME_DIR, TASK_ROOT].join(':'),
      [QUIET_RESULTS_ENV]: '1',
    };
  }
  const pythonVersion = /^python(\d+\.\d+)/.exec(runtime)?.[1];
  if (pythonVersion) {
    return { PYTHONPATH: [TASK_ROOT, `/opt/python/lib/python${pythonVersion}/site-packages`, '/opt/python'].join(':') };
  }
  return {};
}

function debugEnvironment(request: LaunchRequest, plan: ContainerPlan, nodeOptions: string | undefined): Record<string, string> {
  const { debug, spec } = request;
  if (!debug) return {};
  const runtime = spec.runtime ?? '';
  // Bridge networking: listen on the container's own interfaces; only the 127.0.0.1 port binding reaches them.
  const host = plan.networkMode === 'bridge' ? '0.0.0.0' : '127.0.0.1';
  const breakOnHandler: Record<string, string> = debug.breakOnStart && plan.ours ? { [BREAK_ON_HANDLER_ENV]: '1' } : {};
  if (runtime.startsWith('nodejs')) {
    // Our image waits for the debugger before any code runs (as processes do), so init code and the first invocation
    // hit their breakpoints. Official images start Node themselves: --inspect-brk is the only way to stop before user code there.
    const flag = plan.ours ? '--inspect-wait' : debug.breakOnStart ? '--inspect-brk' : '--inspect';
    return { NODE_OPTIONS: [nodeOptions, `${flag}=${host}:${debug.port}`].filter(Boolean).join(' '), ...breakOnHandler };
  }
  if (runtime.startsWith('python') && plan.ours) {
    // Our Python runtime client starts debugpy (copied into local images from the host's python3-debugpy).
    const listen: Record<string, string> = host === '127.0.0.1' ? {} : { [DEBUGPY_HOST_ENV]: host };
    return { [DEBUGPY_PORT_ENV]: String(debug.port), ...listen, ...breakOnHandler };
  }
  if (runtime.startsWith('python')) {
    throw new WorkbenchError('RUNTIME_UNSUPPORTED', `Debugging ${runtime} in ${plan.image} is not supported: the image has no debugpy wiring.`, {
      hint: `Build the local runtime image (\`lambda-workbench images build ${runtime}\`) and set \`image\` to lambda-workbench/runtime:${runtime}, or debug with the process backend (--backend process).`,
    });
  }
  throw new WorkbenchError('RUNTIME_UNSUPPORTED', `Debugging ${spec.runtime ?? 'image'} functions in containers is not supported.`, {
    hint: 'Debug it with the process backend (--backend process).',
  });
}
