// ES module resolution hook of our Node.js runtime client: an `@aws-sdk/*` import that the code's own node_modules do not provide resolves to the runtime's AWS SDK, as on Lambda; runs inside an instance (module.register).
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

interface ResolveContext {
  parentURL?: string;
  conditions: string[];
  importAttributes: Record<string, string>;
}
interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<ResolveResult>;

/** A module URL inside the SDK's node_modules folder: resolving from it finds the SDK's packages. */
let sdkParentUrl: string | undefined;

export function initialize(data: { modulesDir: string }): void {
  sdkParentUrl = pathToFileURL(path.join(data.modulesDir, 'index.mjs')).href;
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<ResolveResult> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (!sdkParentUrl || !specifier.startsWith('@aws-sdk/') || (error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    try {
      return await nextResolve(specifier, { ...context, parentURL: sdkParentUrl });
    } catch {
      // Not in the runtime's SDK either: the error names the user's module, as Lambda's does.
      throw error;
    }
  }
}
