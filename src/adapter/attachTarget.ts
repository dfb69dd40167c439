// What the extension needs to attach a language debugger (js-debug or debugpy) to a new instance, by backend and runtime.
import * as path from 'node:path';
import type { BackendKind } from '../core/instances/backend';

/** Where the code runs inside a container (Lambda's LAMBDA_TASK_ROOT). */
const CONTAINER_TASK_ROOT = '/var/task';

/** Body of the ATTACH_EVENT (customMessages.ts): everything a child `node` or `debugpy` attach configuration needs. */
export interface AttachTarget {
  instanceId: string;
  runtime: 'node' | 'python';
  host: '127.0.0.1';
  port: number;
  /** The host directory holding the code the instance runs. */
  localRoot: string;
  /** The same directory as the instance sees it. */
  remoteRoot: string;
  /** Where compiled JavaScript and its source maps are, for breakpoints set before scripts load. */
  outFiles: string[];
}

export interface AttachTargetInput {
  instanceId: string;
  port: number;
  /** The function's Lambda runtime, e.g. nodejs20.x; undefined for images (assumed Node). */
  runtime: string | undefined;
  backend: BackendKind;
  /** The host directory the instance runs its code from (a build output, or the function's code directory). */
  codeDir: string;
  /** Other directories holding compiled output of the function (e.g. the engine's build directory). */
  buildDirs: string[];
}

export function attachTarget(input: AttachTargetInput): AttachTarget {
  const remoteRoot = input.backend === 'container' ? CONTAINER_TASK_ROOT : input.codeDir;
  return {
    instanceId: input.instanceId,
    runtime: input.runtime?.startsWith('python') ? 'python' : 'node',
    host: '127.0.0.1',
    port: input.port,
    localRoot: input.codeDir,
    remoteRoot,
    outFiles: [...new Set([input.codeDir, ...input.buildDirs])]
      .map((dir) => path.join(dir, '**', '*.js'))
      .concat('!**/node_modules/**'),
  };
}
