// Builds a local runtime image (lambda-workbench/runtime:<runtime>) with no registry via `docker import`: host interpreter + our runtime client, or a custom runtime's minimal system.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
import type Dockerode from 'dockerode';
import { WorkbenchError, errorMessage } from '../common/errors';
import { isExecutable } from '../common/executables';
import { distPath } from '../common/packageAssets';
import { isCustomRuntime } from '../template/lambdaRuntimes';
import { hostNode, hostPython } from './hostInterpreters';
import { imageLabels } from './imagePull';
import { pythonDebuggerFiles } from './pythonDebuggerFiles';
import { imagePythonSdk } from './pythonSdkFiles';
import { sharedLibraries } from './sharedLibraries';
import { RUNTIME_CHANNEL_ENV } from '../../shared/runtimeChannel';
import { CHANNEL_FIFOS, OUTPUT_PIPES_ENV, OUTPUT_PIPES_LABEL, localImageFor } from './localImages';
import { tarStream, type TarEntry } from './tarWriter';

/** Label holding a digest of everything copied into a local image, so an unchanged image is not rebuilt. */
const INPUTS_LABEL = 'lambda-workbench.inputs';
/** Lambda's PATH, so handlers find the interpreter where they would on AWS. */
const LAMBDA_PATH = '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin';
/** Python standard library folders a Lambda function never imports (and build-only config-*); leaving them out keeps the image small. */
const SKIPPED_PYTHON_DIRS = new Set(['__pycache__', 'site-packages', 'dist-packages', 'test', 'tests', 'idlelib', 'tkinter', 'turtledemo', 'ensurepip']);
const skipPythonDir = (name: string): boolean => SKIPPED_PYTHON_DIRS.has(name) || name.startsWith('config-');

export interface RuntimeImageBuild {
  image: string;
  /** False when an image built from the same inputs already existed. */
  built: boolean;
}

export interface RuntimeImageOptions {
  /** Rebuild even when an image from the same inputs exists. */
  force?: boolean;
  /** Interpreter commands on the host (defaults: node and python3 on PATH). */
  nodeCommand?: string;
  pythonCommand?: string;
}

/** Creates `lambda-workbench/runtime:<runtime>` in the engine from this machine's files; Linux hosts only. */
export async function buildRuntimeImage(docker: Dockerode, runtime: string, options: RuntimeImageOptions = {}): Promise<RuntimeImageBuild> {
  if (process.platform !== 'linux') {
    throw new WorkbenchError('RUNTIME_UNSUPPORTED', `A local runtime image copies this machine's interpreter, which only works on Linux (this is ${process.platform}).`, {
      hint: 'Use the official AWS base image (the container backend pulls it), or build on a Linux machine.',
    });
  }
  const entries = await imageEntries(runtime, options);
  const image = localImageFor(runtime);
  const inputs = inputsDigest(entries);
  if (!options.force && (await imageLabels(docker, image))?.[INPUTS_LABEL] === inputs) return { image, built: false };
  const changes = [
    'ENTRYPOINT ["/var/runtime/bootstrap"]',
    'WORKDIR /var/task',
    `ENV PATH=${LAMBDA_PATH}`,
    'ENV LANG=en_US.UTF-8',
    // One label per LABEL change: Podman reads a LABEL with several pairs as one label.
    `LABEL ${INPUTS_LABEL}=${inputs}`,
    `LABEL lambda-workbench.runtime=${runtime}`,
    `LABEL ${OUTPUT_PIPES_LABEL}=1`,
  ];
  try {
    // The repository with its tag (the API allows it on import): Podman ignores a separate `tag` and names it :latest.
    const progress = await docker.importImage(tarStream(entries), { repo: image, changes } as Record<string, unknown>);
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(progress, (error: Error | null, events: { error?: string }[]) => {
        const failed = events?.find((event) => event.error);
        if (error || failed) reject(error ?? new Error(failed?.error));
        else resolve();
      });
    });
  } catch (error) {
    throw new WorkbenchError('IMAGE_UNAVAILABLE', `Building ${image} failed: ${errorMessage(error)}`, { cause: error });
  }
  return { image, built: true };
}

async function imageEntries(runtime: string, options: RuntimeImageOptions): Promise<TarEntry[]> {
  if (runtime.startsWith('nodejs')) return nodeEntries(runtime, options);
  if (runtime.startsWith('python')) return pythonEntries(runtime, options);
  if (isCustomRuntime(runtime)) return customRuntimeEntries();
  throw new WorkbenchError('RUNTIME_UNSUPPORTED', `Local runtime images exist for nodejs*, python* and provided* runtimes, not "${runtime}".`, {
    hint: 'Use the official AWS base image for this runtime.',
  });
}

/**
 * What a shell bootstrap (the AWS custom runtime tutorial's, for one) calls on the minimal Amazon Linux of provided
 * images; copied from this machine with their libraries when present. Compiled bootstraps (Go, Rust, C) need only libc.
 */
const CUSTOM_RUNTIME_TOOLS = ['bash', 'cat', 'curl', 'cut', 'env', 'grep', 'head', 'ls', 'mktemp', 'rm', 'sed', 'tail', 'tr'];

/** provided.al2 / provided.al2023: no runtime client of ours; the entry point runs the function's own bootstrap. */
async function customRuntimeEntries(): Promise<TarEntry[]> {
  const hostPath = (process.env.PATH ?? '/usr/bin:/bin').split(delimiter).filter(Boolean);
  const tools = CUSTOM_RUNTIME_TOOLS.flatMap((name) => {
    const found = hostPath.map((dir) => join(dir, name)).find(isExecutable);
    return found ? [{ name, source: realpathSync(found) }] : [];
  });
  // As the provided images' entry point: /var/task/bootstrap, then /opt/bootstrap; Lambda's exit status 127 when neither is there.
  const script = bootstrapScript('starts the function\'s custom runtime (its bootstrap), as provided images do', [
    'for bootstrap in /var/task/bootstrap /opt/bootstrap; do',
    '  if [ -x "$bootstrap" ]; then exec "$bootstrap"; fi',
    'done',
    'echo "Couldn\'t find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]" >&2',
    'exit 127',
  ]);
  // Amazon Linux's /bin/sh is bash: the tutorial's `#!/bin/sh` bootstrap uses `source`, `function` and pipefail.
  const bash = tools.find((tool) => tool.name === 'bash')?.source;
  return [
    ...(await baseEntries(tools.map((tool) => tool.source), bash)),
    ...tools.map((tool): TarEntry => ({ type: 'file', path: `usr/bin/${tool.name}`, mode: 0o755, source: tool.source })),
    { type: 'file', path: 'var/runtime/bootstrap', mode: 0o755, content: script },
  ];
}

async function nodeEntries(runtime: string, options: RuntimeImageOptions): Promise<TarEntry[]> {
  const node = await hostNode(options.nodeCommand);
  requireMatchingVersion(runtime, /^nodejs(\d+)\.x$/, node.version.split('.')[0]!, 'Node.js', node.version);
  const bootstrap = requireAsset(distPath('runtimes', 'node', 'bootstrap.js'));
  // The ES module resolution hook the runtime client registers beside itself (the runtime's AWS SDK for imports).
  const sdkHooks = requireAsset(distPath('runtimes', 'node', 'sdkModuleHooks.mjs'));
  const script = bootstrapScript('starts our Node.js runtime client', [
    'exec /var/lang/bin/node --max-old-space-size="${AWS_LAMBDA_FUNCTION_MEMORY_SIZE:-128}" /var/runtime/bootstrap.js',
  ], { runtimeChannel: true });
  return [
    ...(await baseEntries([node.executable])),
    { type: 'file', path: 'var/lang/bin/node', mode: 0o755, source: node.executable },
    { type: 'symlink', path: 'usr/bin/node', target: '/var/lang/bin/node' },
    { type: 'file', path: 'var/runtime/bootstrap.js', mode: 0o644, source: bootstrap },
    { type: 'file', path: 'var/runtime/sdkModuleHooks.mjs', mode: 0o644, source: sdkHooks },
    { type: 'file', path: 'var/runtime/bootstrap', mode: 0o755, content: script },
  ];
}

async function pythonEntries(runtime: string, options: RuntimeImageOptions): Promise<TarEntry[]> {
  const python = await hostPython(options.pythonCommand);
  requireMatchingVersion(runtime, /^python(\d+\.\d+)$/, python.version, 'Python', python.version);
  const clientDir = requireAsset(distPath('runtimes', 'python'));
  const libraryFiles = new Map<string, string>();
  for (const dir of python.libraryDirs) for (const file of walk(dir, skipPythonDir)) libraryFiles.set(file, file);
  const extensionModules = [...libraryFiles.keys()].filter((file) => file.endsWith('.so'));
  // debugpy at the host's path, where the runtime client looks for it when an instance is debugged.
  const debuggerFiles = pythonDebuggerFiles();
  // boto3 and what it imports, where the host's Python has them (this interpreter's, else another host Python's): our
  // runtime client finds them after the code and layers.
  const sdkFiles = await imagePythonSdk(python.executable);
  const script = bootstrapScript('starts our Python runtime client', [...sdkFiles.bootstrapLines, `exec ${python.executable} -u /var/runtime/bootstrap.py`], { runtimeChannel: true });
  return [
    ...(await baseEntries([python.executable, ...extensionModules, ...debuggerFiles.sharedObjects, ...sdkFiles.sharedObjects])),
    // The interpreter stays at its host path: Python finds its standard library relative to its own location.
    { type: 'file', path: python.executable.slice(1), mode: 0o755, source: python.executable },
    { type: 'symlink', path: 'var/lang/bin/python3', target: python.executable },
    ...[...libraryFiles.keys()].map((file): TarEntry => ({ type: 'file', path: file.slice(1), mode: 0o644, source: file })),
    ...walk(clientDir, (name) => name === '__pycache__').map(
      (file): TarEntry => ({ type: 'file', path: join('var/runtime', relative(clientDir, file)), mode: 0o644, source: file }),
    ),
    ...debuggerFiles.entries,
    ...sdkFiles.entries,
    { type: 'file', path: 'var/runtime/bootstrap', mode: 0o755, content: script },
  ];
}

/**
 * /var/runtime/bootstrap: starts the runtime, as the entry point of AWS images does. When the backend names a directory
 * of output pipes, the runtime's stdout and stderr go into them (opening a pipe waits for its reader, which the backend
 * opens before the container starts); only what the script printed before that goes to the engine. `runtimeChannel`:
 * the runtime client reads the runtime channel's FIFOs of that directory, when the backend made them, on descriptors 3
 * (from the engine) and 4 (to the engine).
 */
function bootstrapScript(what: string, startLines: string[], options: { runtimeChannel?: boolean } = {}): Buffer {
  const pipes = `$${OUTPUT_PIPES_ENV}`;
  const script = [
    '#!/bin/sh',
    `# Lambda Workbench runtime image: ${what}.`,
    `if [ -n "${pipes}" ]; then`,
    `  exec >"${pipes}/stdout" 2>"${pipes}/stderr"`,
    ...(options.runtimeChannel
      ? [
          `  if [ -p "${pipes}/${CHANNEL_FIFOS.toRuntime}" ]; then`,
          `    exec 3<"${pipes}/${CHANNEL_FIFOS.toRuntime}" 4>"${pipes}/${CHANNEL_FIFOS.toEngine}"`,
          `    export ${RUNTIME_CHANNEL_ENV}=3,4`,
          '  fi',
        ]
      : []),
    `  unset ${OUTPUT_PIPES_ENV}`,
    'fi',
    ...startLines,
    '',
  ];
  return Buffer.from(script.join('\n'));
}

/** What every local image has: Lambda's directories, a shell for the bootstrap script, users, and the libraries of `binaries`. */
async function baseEntries(binaries: string[], shell = '/bin/sh'): Promise<TarEntry[]> {
  const libraries = await sharedLibraries([shell, ...binaries]);
  return [
    { type: 'directory', path: 'tmp', mode: 0o1777 },
    ...['var/task', 'var/runtime', 'var/lang/bin', 'opt', 'usr/bin', 'etc', 'bin'].map((path): TarEntry => ({ type: 'directory', path, mode: 0o755 })),
    { type: 'file', path: 'etc/passwd', mode: 0o644, content: Buffer.from('root:x:0:0:root:/root:/bin/sh\nsbx_user1051:x:993:990::/home/sbx_user1051:/sbin/nologin\n') },
    { type: 'file', path: 'etc/group', mode: 0o644, content: Buffer.from('root:x:0:\nsbx_user1051:x:990:\n') },
    { type: 'file', path: 'bin/sh', mode: 0o755, source: shell },
    ...libraries.map((library): TarEntry => ({ type: 'file', path: library.slice(1), mode: 0o755, source: library })),
  ];
}

function requireMatchingVersion(runtime: string, pattern: RegExp, hostVersion: string, what: string, fullVersion: string): void {
  const wanted = pattern.exec(runtime)?.[1];
  if (wanted !== hostVersion) {
    throw new WorkbenchError('RUNTIME_UNSUPPORTED', `The host's ${what} is ${fullVersion}, but ${runtime} needs ${what} ${wanted ?? '(unknown version)'}.`, {
      hint: `Build the image on a machine with that ${what} version, or use the official AWS base image for ${runtime}.`,
    });
  }
}

function requireAsset(path: string): string {
  if (!existsSync(path)) {
    throw new WorkbenchError('IMAGE_UNAVAILABLE', `The runtime client ${path} is missing.`, { hint: 'Run `npm run build` first.' });
  }
  return path;
}

/** Every file under `dir` (following symlinked files, skipping the named folders), sorted for a stable archive. */
function walk(dir: string, skip: (name: string) => boolean): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip(entry.name)) files.push(...walk(path, skip));
    } else if (entry.isFile() || (entry.isSymbolicLink() && existsSync(path) && statSync(path).isFile())) {
      files.push(path);
    }
  }
  return files;
}

/** Digest of the archive's layout, generated contents, and each copied file's identity (path, size, modification time). */
function inputsDigest(entries: TarEntry[]): string {
  const hash = createHash('sha256');
  for (const entry of entries) {
    hash.update(`${entry.type}\0${entry.path}\0`);
    if (entry.type === 'symlink') hash.update(entry.target);
    else if (entry.type === 'file' && 'content' in entry) hash.update(entry.content);
    else if (entry.type === 'file') {
      const info = statSync(entry.source);
      hash.update(`${entry.source}:${info.size}:${info.mtimeMs}`);
    }
  }
  return hash.digest('hex').slice(0, 32);
}
