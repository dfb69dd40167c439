// Which backend a choice (process, container or auto) runs a function on, decided without starting anything.
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';
import type { BackendChoice } from '../../shared/launchConfig';
import type { FunctionSpec } from '../template/functionSpec';
import type { BackendKind } from './backend';
import { PYTHON_ENV } from './process/runtimeCommand';

/** Where `choice` runs `spec`: `auto` sends images and runtimes this host cannot run as a process to containers. */
export function backendKindFor(choice: BackendChoice, spec: FunctionSpec): BackendKind {
  if (choice !== 'auto') return choice;
  return spec.packageType === 'Image' || !hostRuns(spec.runtime ?? '') ? 'container' : 'process';
}

/** Runtime families the process backend runs; Python also needs an interpreter on this host. */
function hostRuns(runtime: string): boolean {
  if (runtime.startsWith('nodejs') || runtime.startsWith('provided')) return true;
  if (runtime.startsWith('python')) return pythonInterpreterFound();
  return false;
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
