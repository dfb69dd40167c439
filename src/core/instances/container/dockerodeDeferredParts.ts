// Loads dockerode's rarely used parts (BuildKit's gRPC session, ssh2 for ssh:// engines) on their first call, not with dockerode.
import Module, { createRequire } from 'node:module';

const nodeRequire = createRequire(__filename);

/**
 * dockerode requires its BuildKit session support (@grpc/grpc-js, protobufjs) and docker-modem requires ssh2 when they
 * load: about 60% of dockerode's load time, which lies on the first container invocation's path, and neither is used by
 * an engine on a Unix socket or tcp://. Each module exports one function: it is put in the module cache as a function
 * that loads the real module on its first call. The bundles (dist/) get the same deferral from esbuild.mjs
 * (deferDockerodeParts); there dockerode is not resolved from node_modules and this does nothing.
 */
export const DEFERRED_DOCKERODE_PARTS = ['dockerode/lib/session', 'docker-modem/lib/ssh'] as const;

export function deferDockerodeParts(): void {
  for (const specifier of DEFERRED_DOCKERODE_PARTS) {
    let filename: string;
    try {
      filename = nodeRequire.resolve(specifier);
    } catch {
      continue;
    }
    if (nodeRequire.cache[filename]) continue;
    nodeRequire.cache[filename] = deferredModule(filename);
  }
}

function deferredModule(filename: string): Module {
  let real: ((...args: unknown[]) => unknown) | undefined;
  const deferred = new Module(filename);
  deferred.filename = filename;
  deferred.loaded = true;
  deferred.exports = function (this: unknown, ...args: unknown[]): unknown {
    if (!real) {
      delete nodeRequire.cache[filename];
      real = nodeRequire(filename) as (...args: unknown[]) => unknown;
    }
    return real.apply(this, args);
  };
  return deferred;
}
