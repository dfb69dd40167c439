// Chooses the command that starts a runtime as a local process: our Node or Python runtime client, or a custom runtime's bootstrap.
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';
import { DEBUGPY_PORT_ENV, PYTHON_SDK_ENV, QUIET_RESULTS_ENV, SDK_MODULES_ENV } from '../../../shared/runtimeProtocol';
import { RUNTIME_CHANNEL_ENV, RUNTIME_CHANNEL_FD } from '../../../shared/runtimeChannel';
import { WorkbenchError } from '../../common/errors';
import { distPath } from '../../common/packageAssets';
import type { LaunchRequest } from '../backend';
import { cannotRunOn } from '../runtimeSupport';
import { nodeMajorVersion } from '../../template/lambdaRuntimes';
import { hostCodeView, layerSearchPaths, nodeModulePaths, pythonPaths, type CodeView } from './layerPaths';

export interface RuntimeCommand {
  command: string;
  args: string[];
  /** Extra environment for this runtime family (debug ports, module paths). */
  env: Record<string, string>;
  /** Our own runtime clients write flush markers; custom runtimes do not. */
  ours: boolean;
  /** The runtime talks to the engine over the runtime channel on RUNTIME_CHANNEL_FD (our Node.js and Python clients). */
  channel?: true;
}

/**
 * `interpreter`: the Node.js or Python binary resolved for the runtime (interpreters.ts). `pythonSdkDirs`: the host's
 * folders holding boto3 (hostPythonSdk), which our Python runtime client uses when the interpreter has no boto3 of its own.
 */
export function runtimeCommand(
  request: LaunchRequest,
  interpreter: string | undefined,
  view: CodeView = hostCodeView(request.codeDir, request.layerDirs),
  pythonSdkDirs: readonly string[] = [],
): RuntimeCommand {
  const { spec } = request;
  const blocker = cannotRunOn('process', spec);
  if (blocker) throw new WorkbenchError('RUNTIME_UNSUPPORTED', blocker.reason, { hint: blocker.hint });
  const runtime = spec.runtime ?? '';
  const command = runtime.startsWith('nodejs')
    ? nodeCommand(request, interpreter ?? process.execPath, view)
    : runtime.startsWith('python')
      ? pythonCommand(request, interpreter ?? 'python3', view, pythonSdkDirs)
      : customRuntimeCommand(request);
  // Customer variables may set PATH and LD_LIBRARY_PATH (they are not reserved); layer folders are added to them.
  const paths = layerSearchPaths(view, request.environment.PATH ?? process.env.PATH ?? DEFAULT_PATH, request.environment.LD_LIBRARY_PATH);
  return { ...command, env: { ...paths, ...command.env } };
}

const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

function nodeCommand(request: LaunchRequest, node: string, view: CodeView): RuntimeCommand {
  const args = nodeHeapFlags(request.spec.memorySizeMB);
  // Debug instances wait for the debugger before any code runs, so breakpoints in init code and the first invocation bind.
  if (request.debug) args.push(`--inspect-wait=127.0.0.1:${request.debug.port}`);
  args.push(distPath('runtimes', 'node', 'bootstrap.js'));
  const major = nodeMajorVersion(request.spec.runtime) ?? Number(process.versions.node.split('.')[0]);
  // Lambda's order: the layers, the runtime's AWS SDK (/var/runtime/node_modules), then the code.
  const paths = nodeModulePaths(view, major);
  const env: Record<string, string> = { [QUIET_RESULTS_ENV]: '1', [RUNTIME_CHANNEL_ENV]: String(RUNTIME_CHANNEL_FD) };
  if (request.sdkModulesDir) {
    paths.splice(paths.length - 1, 0, request.sdkModulesDir);
    env[SDK_MODULES_ENV] = request.sdkModulesDir;
  }
  return { command: node, args, env: { NODE_PATH: paths.join(path.delimiter), ...env }, ours: true, channel: true };
}

function pythonCommand(request: LaunchRequest, python: string, view: CodeView, sdkDirs: readonly string[]): RuntimeCommand {
  const version = /^python(\d+\.\d+)$/.exec(request.spec.runtime ?? '')?.[1] ?? '3';
  const env: Record<string, string> = {
    PYTHONPATH: pythonPaths(view, version).join(path.delimiter),
    PYTHONUNBUFFERED: '1',
    [RUNTIME_CHANNEL_ENV]: String(RUNTIME_CHANNEL_FD),
  };
  if (sdkDirs.length) env[PYTHON_SDK_ENV] = sdkDirs.join(path.delimiter);
  if (request.debug) env[DEBUGPY_PORT_ENV] = String(request.debug.port);
  return { command: python, args: [distPath('runtimes', 'python', 'bootstrap.py')], env, ours: true, channel: true };
}

function customRuntimeCommand(request: LaunchRequest): RuntimeCommand {
  // Lambda looks in /var/task, then /opt: the bootstrap of the layer that wins.
  const candidates = [path.join(request.codeDir, 'bootstrap'), ...hostCodeView(request.codeDir, request.layerDirs).layerRoots.map((dir) => path.join(dir, 'bootstrap'))];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return { command: candidate, args: [], env: {}, ours: false };
    } catch {
      // try the next location, as Lambda does (/var/task/bootstrap, then /opt/bootstrap)
    }
  }
  throw new WorkbenchError('HANDLER_INVALID', `Custom runtime ${request.spec.logicalId} has no executable bootstrap.`, {
    hint: `Looked for: ${candidates.join(', ')}. Add an executable file named bootstrap to the code or a layer (chmod +x).`,
  });
}

/**
 * V8 heap sizes from the function's memory, as the Node.js bootstrap of Lambda's managed runtimes sets them:
 * about 5% of the memory for a young-generation semi-space and 90% for the old space.
 */
export function nodeHeapFlags(memorySizeMB: number): string[] {
  const semiSpace = Math.max(1, Math.floor(memorySizeMB * 0.05));
  return [`--max-semi-space-size=${semiSpace}`, `--max-old-space-size=${Math.floor(memorySizeMB * 0.9)}`];
}
