// Our Python runtime client's bytecode, compiled on the host once per interpreter: sandboxed, /var/runtime is read-only and Python would compile the client from source at every cold start.
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { distPath } from '../../common/packageAssets';
import type { Interpreter } from './interpreters';

/** The runtime client's package, beside bootstrap.py (which runs as a script: Python never caches it). */
const PACKAGE = 'lambda_workbench_runtime';
/** One of its modules: its bytecode being there and newer than its source stands for the package's. */
const PROBE_MODULE = 'invoke_loop';
const COMPILE_TIMEOUT_MS = 60_000;

const asked = new Set<string>();

/**
 * Starts `python -m compileall` on the runtime client's package when its bytecode for this interpreter is missing or
 * older than its source, in the background and once per interpreter per process: the environment being started does not
 * wait, the next ones import the bytecode (about 9 ms less CPU per cold start, python3.11). Python writes each file
 * atomically, checks it against its source's modification time and size, and compiles from source when it does not
 * match; a folder it cannot write (a read-only install) leaves things as before.
 */
export function compilePythonClient(interpreter: Interpreter): void {
  if (asked.has(interpreter.command)) return;
  asked.add(interpreter.command);
  const version = /^(\d+)\.(\d+)\./.exec(`${interpreter.version}.`);
  const packageDir = distPath('runtimes', 'python', PACKAGE);
  if (version && compiled(packageDir, `cpython-${version[1]}${version[2]}`)) return;
  const env = { ...process.env };
  // The host's redirection of bytecode elsewhere would put it where the runtime never looks.
  delete env.PYTHONPYCACHEPREFIX;
  execFile(interpreter.command, ['-m', 'compileall', '-q', packageDir], { env, timeout: COMPILE_TIMEOUT_MS }, () => undefined);
}

function compiled(packageDir: string, cacheTag: string): boolean {
  try {
    const source = statSync(path.join(packageDir, `${PROBE_MODULE}.py`));
    return statSync(path.join(packageDir, '__pycache__', `${PROBE_MODULE}.${cacheTag}.pyc`)).mtimeMs >= source.mtimeMs;
  } catch {
    return false;
  }
}
