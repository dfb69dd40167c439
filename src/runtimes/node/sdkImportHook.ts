// Lets ES module handlers import the AWS SDK the runtime provides (NODE_PATH, which ES modules ignore), as Lambda's
// Node.js runtimes allow; runs inside an instance.
import * as nodeModule from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** A resolve hook: an `@aws-sdk/*` import the handler's folders cannot resolve is resolved from the NODE_PATH folders. */
const HOOK_SOURCE = `
let parents = [];
export function initialize(data) { parents = data.parents; }
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !specifier.startsWith('@aws-sdk/')) throw error;
    for (const parentURL of parents) {
      try { return await next(specifier, { ...context, parentURL }); } catch {}
    }
    throw error;
  }
}`;

let registered = false;

/** Registers the hook once, before the first ES module handler loads (module.register: Node.js 18.19 and 20.6 on). */
export function allowSdkImports(): void {
  if (registered) return;
  registered = true;
  const register = (nodeModule as { register?: (specifier: string, options: { data: unknown }) => void }).register;
  const folders = (process.env.NODE_PATH ?? '').split(path.delimiter).filter(Boolean);
  if (!register || !folders.length) return;
  // Resolving from a file inside a node_modules folder searches that folder.
  const parents = folders.map((folder) => pathToFileURL(path.join(folder, 'resolve-from.mjs')).href);
  register(`data:text/javascript,${encodeURIComponent(HOOK_SOURCE)}`, { data: { parents } });
}
