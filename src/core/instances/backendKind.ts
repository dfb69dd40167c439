// Which backend a choice (process, container or auto) runs a function on, decided without starting anything.
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';
import type { BackendChoice } from '../../shared/launchConfig';
import type { FunctionSpec } from '../template/functionSpec';
import type { BackendKind } from './backend';
import { isPythonRuntime } from '../template/lambdaRuntimes';
import { PYTHON_ENV } from './process/interpreters';
import { cannotRunOn } from './runtimeSupport';

/** Where `choice` runs `spec`: `auto` sends images and runtimes this host cannot run as a process to containers. */
export function backendKindFor(choice: BackendChoice, spec: FunctionSpec): BackendKind {
  if (choice !== 'auto') return choice;
  const hostRuns = !cannotRunOn('process', spec) && (!isPythonRuntime(spec.runtime) || pythonInterpreterFound());
  return hostRuns ? 'process' : 'container';
}

let pythonFound: boolean | undefined;

/** The interpreter the process backend would start (LAMBDA_WORKBENCH_PYTHON, else python3 on PATH) exists. */
function pythonInterpreterFound(): boolean {
  pythonFound ??= (() => {
    const configured = process.env[PYTHON_ENV];
    const candidates = configured?.includes(path.sep)
      ? [configured]
      : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, configured ?? 'python3'));
    return candidates.some((candidate) => {
      try {
        accessSync(candidate, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  })();
  return pythonFound;
}
