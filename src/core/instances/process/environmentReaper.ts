// Unsandboxed runtimes on Linux start under a child-subreaper launcher (src/runtimes/reaper), so what a handler starts, daemons
// in their own session included, ends with its environment and with the service, as bubblewrap's pid namespace does.
import { distPath } from '../../common/packageAssets';
import { findOnPath, isExecutable } from '../../common/executables';
import type { RuntimeCommand } from './runtimeCommand';

/** Where the launcher reads the runtime's command (JSON), so its own command line names no runtime. */
const COMMAND_ENV = 'LAMBDA_WORKBENCH_REAPED_COMMAND';
/** The system's interpreter first: a version manager's shim (pyenv) would add its start-up to every cold start. */
const SYSTEM_PYTHON = '/usr/bin/python3';

let probed: string | null | undefined;

function findPython(): string | undefined {
  probed ??= process.platform === 'linux' ? (isExecutable(SYSTEM_PYTHON) ? SYSTEM_PYTHON : findOnPath('python3')) ?? null : null;
  return probed ?? undefined;
}

/**
 * The runtime command run under the launcher, which exits with the runtime's status (128 + N for signal N) once it has
 * killed everything the runtime left; undefined where it cannot run (not Linux, no python3).
 */
export function reapedCommand<T extends RuntimeCommand>(command: T): T | undefined {
  const python = findPython();
  if (!python) return undefined;
  return {
    ...command,
    command: python,
    args: ['-I', '-S', distPath('runtimes', 'reaper', 'environment_reaper.py'), String(process.pid)],
    env: { ...command.env, [COMMAND_ENV]: JSON.stringify([command.command, ...command.args]) },
  };
}
