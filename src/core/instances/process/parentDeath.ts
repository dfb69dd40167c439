// Unsandboxed runtimes end with the tool: on Linux they start through util-linux's setpriv with a parent-death signal, so a
// service killed with SIGKILL (no exit handler runs) takes its runtimes along, frozen ones and ones waiting for a debugger too.
import { findOnPath } from '../../common/executables';
import type { RuntimeCommand } from './runtimeCommand';

let probed: string | null | undefined;

function findSetpriv(): string | undefined {
  probed ??= process.platform === 'linux' ? findOnPath('setpriv') ?? null : null;
  return probed ?? undefined;
}

/**
 * The command run so that the kernel kills it when the process that spawned it dies (bubblewrap's --die-with-parent does the
 * same for sandboxed ones). Unchanged where setpriv is missing: the runtime clients' own watchdog still ends them.
 */
export function diesWithParent<T extends RuntimeCommand>(command: T): T {
  const setpriv = findSetpriv();
  if (!setpriv) return command;
  return { ...command, command: setpriv, args: ['--pdeathsig', 'KILL', '--', command.command, ...command.args] };
}
