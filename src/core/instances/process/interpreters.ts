// Finds the Node.js or Python interpreter whose version matches a function's runtime: a configured binary, PATH, or the
// install folders of nvm, fnm, volta, asdf, pyenv and uv; else the default one, with a warning naming the container backend.
import { execFile } from 'node:child_process';
import { readdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { isExecutable } from '../../common/executables';
import { nodeMajorVersion } from '../../template/lambdaRuntimes';

const run = promisify(execFile);

/** Where interpreters are looked for (this process's environment by default; tests give their own). */
export interface InterpreterDiscovery {
  env: NodeJS.ProcessEnv;
  home: string;
}

export interface InterpreterOptions {
  /** Runtime -> binary, e.g. { "nodejs22.x": "/opt/node22/bin/node" } (setting lambdaWorkbench.interpreters, CLI --interpreter). */
  interpreters?: Record<string, string>;
  discovery?: InterpreterDiscovery;
}

export interface Interpreter {
  runtime: string;
  command: string;
  /** The interpreter's full version, e.g. 22.11.0 or 3.12.7. */
  version: string;
  /** Undefined when the version matches the runtime; else why not, and what to do instead. */
  mismatch?: string;
}

/** Environment variable naming the Python interpreter for Python functions (checked like a configured binary). */
export const PYTHON_ENV = 'LAMBDA_WORKBENCH_PYTHON';

interface Candidate {
  command: string;
  /** Known from the install folder's name; otherwise the binary is asked. */
  version?: string;
}

/** Resolves the interpreter of a nodejs* or python* runtime. */
export async function resolveInterpreter(runtime: string, options: InterpreterOptions = {}): Promise<Interpreter> {
  const discovery = options.discovery ?? { env: process.env, home: homedir() };
  const node = nodeMajorVersion(runtime);
  const python = /^python(\d+\.\d+)$/.exec(runtime)?.[1];
  const wanted = node !== undefined ? String(node) : python ?? '';
  const family = node !== undefined ? 'node' : 'python';
  const configured = options.interpreters?.[runtime] ?? (family === 'python' ? discovery.env[PYTHON_ENV] : undefined);
  const candidates: Candidate[] = [
    ...(configured ? [{ command: configured }] : []),
    ...(family === 'node' ? nodeCandidates(wanted, discovery) : pythonCandidates(wanted, discovery)),
  ];
  const searched: string[] = [];
  let fallback: Interpreter | undefined;
  for (const candidate of candidates) {
    const version = candidate.version ?? (await askVersion(candidate.command));
    searched.push(`${candidate.command}${version ? ` (${version})` : ''}`);
    if (!version) continue;
    const interpreter = { runtime, command: candidate.command, version };
    if (matches(version, wanted)) return interpreter;
    fallback ??= interpreter;
  }
  const used = fallback ?? { runtime, command: family === 'node' ? process.execPath : 'python3', version: 'unknown' };
  const what = family === 'node' ? `Node.js ${wanted}` : `Python ${wanted}`;
  return {
    ...used,
    mismatch:
      `${runtime} needs ${what}, but none was found, so it runs on ${family === 'node' ? 'Node.js' : 'Python'} ${used.version} (${used.command}). ` +
      `Looked at: ${searched.join(', ') || '(nothing)'}. Install ${what} (nvm, fnm, volta, asdf, pyenv or uv), map ${runtime} to a binary ` +
      '(setting lambdaWorkbench.interpreters, or --interpreter RUNTIME=PATH), or run it in a container with the exact runtime (--backend container).',
  };
}

function matches(version: string, wanted: string): boolean {
  return version === wanted || version.startsWith(`${wanted}.`);
}

function nodeCandidates(major: string, { env, home }: InterpreterDiscovery): Candidate[] {
  const onPath = executablesOnPath(env, ['node']);
  const installs = [
    ...installed(path.join(env.NVM_DIR ?? path.join(home, '.nvm'), 'versions', 'node'), /^v(\d.*)$/, ['bin', 'node']),
    ...installed(path.join(env.FNM_DIR ?? path.join(home, '.local', 'share', 'fnm'), 'node-versions'), /^v(\d.*)$/, ['installation', 'bin', 'node']),
    ...installed(path.join(home, '.fnm', 'node-versions'), /^v(\d.*)$/, ['installation', 'bin', 'node']),
    ...installed(path.join(env.VOLTA_HOME ?? path.join(home, '.volta'), 'tools', 'image', 'node'), /^(\d.*)$/, ['bin', 'node']),
    ...installed(path.join(env.ASDF_DATA_DIR ?? path.join(home, '.asdf'), 'installs', 'nodejs'), /^(\d.*)$/, ['bin', 'node']),
  ];
  return [...onPath.map((command) => ({ command })), ...installs.filter((c) => matches(c.version!, major)), { command: process.execPath }];
}

function pythonCandidates(version: string, { env, home }: InterpreterDiscovery): Candidate[] {
  const onPath = executablesOnPath(env, [`python${version}`, 'python3']);
  const installs = [
    ...installed(path.join(env.PYENV_ROOT ?? path.join(home, '.pyenv'), 'versions'), /^(\d+\.\d+\.\d+)$/, ['bin', 'python3']),
    ...installed(path.join(env.ASDF_DATA_DIR ?? path.join(home, '.asdf'), 'installs', 'python'), /^(\d+\.\d+\.\d+)$/, ['bin', 'python3']),
    ...installed(path.join(env.UV_PYTHON_INSTALL_DIR ?? path.join(home, '.local', 'share', 'uv', 'python')), /^cpython-(\d+\.\d+\.\d+)-/, ['bin', 'python3']),
  ];
  return [...onPath.map((command) => ({ command })), ...installs.filter((c) => matches(c.version!, version))];
}

/** Executable files of these names in the PATH folders, in PATH order. */
function executablesOnPath(env: NodeJS.ProcessEnv, names: string[]): string[] {
  const found: string[] = [];
  for (const name of names) {
    for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
      const file = path.join(dir, name);
      if (isExecutable(file)) {
        found.push(file);
        break;
      }
    }
  }
  return found;
}

/** Interpreters a version manager installed: one folder per version under `root`, the version in the folder name. */
function installed(root: string, versionPattern: RegExp, binary: string[]): Candidate[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  return names
    .flatMap((name) => {
      const version = versionPattern.exec(name)?.[1];
      const command = path.join(root, name, ...binary);
      return version && isExecutable(command) ? [{ command, version }] : [];
    })
    // The newest patch release first.
    .sort((a, b) => b.version.localeCompare(a.version, 'en', { numeric: true }));
}

/** One question per binary and process: `node --version` (v22.1.0) or `python --version` (Python 3.12.7). */
const versions = new Map<string, Promise<string | undefined>>();

function askVersion(command: string): Promise<string | undefined> {
  let version = versions.get(command);
  if (!version) {
    // The Node.js running this process (often the `node` on PATH) is known without starting it: one process fewer
    // before a first invocation.
    version = isThisNode(command)
      ? Promise.resolve(process.versions.node)
      : run(command, ['--version'], { timeout: 10_000 }).then(
        ({ stdout, stderr }) => /(\d+\.\d+\.\d+)/.exec(`${stdout}${stderr}`)?.[1],
        () => undefined,
      );
    versions.set(command, version);
  }
  return version;
}

function isThisNode(command: string): boolean {
  try {
    return realpathSync(command) === realpathSync(process.execPath);
  } catch {
    return false;
  }
}
