// Finds the host's Node.js and Python interpreters (binary, version, standard library) to copy into a runtime image.
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { promisify } from 'node:util';
import { WorkbenchError, errorMessage } from '../common/errors';

const run = promisify(execFile);

export interface HostNode {
  executable: string;
  version: string;
}

export interface HostPython {
  executable: string;
  version: string;
  /** Directories of the standard library (pure modules and compiled extension modules). */
  libraryDirs: string[];
}

/** The `node` first on PATH (not necessarily the one running this code, which may be an editor's). */
export async function hostNode(command = 'node'): Promise<HostNode> {
  const output = await query(command, ['-p', 'JSON.stringify({ executable: process.execPath, version: process.versions.node })'], 'Node.js');
  const { executable, version } = JSON.parse(output) as HostNode;
  return { executable: realpathSync(executable), version };
}

export async function hostPython(command = 'python3'): Promise<HostPython> {
  const script =
    'import json, sys, sysconfig; p = sysconfig.get_paths(); ' +
    'print(json.dumps({"executable": sys.executable, "version": "%d.%d" % sys.version_info[:2], ' +
    '"libraryDirs": sorted({p["stdlib"], p["platstdlib"], sysconfig.get_config_var("DESTSHARED") or p["platstdlib"]})}))';
  const output = await query(command, ['-c', script], 'Python');
  const python = JSON.parse(output) as HostPython;
  return { ...python, executable: realpathSync(python.executable) };
}

async function query(command: string, args: string[], what: string): Promise<string> {
  try {
    return (await run(command, args, { timeout: 10_000 })).stdout.trim();
  } catch (error) {
    throw new WorkbenchError('RUNTIME_UNSUPPORTED', `Cannot run the host's ${what} (\`${command}\`): ${errorMessage(error)}`, {
      hint: `A local runtime image copies the host's ${what}: install it, or use the official AWS base image.`,
      cause: error,
    });
  }
}
