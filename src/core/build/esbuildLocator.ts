// Finds the esbuild that builds a function, the SAM way: the function's own project first, then Lambda Workbench's own.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { WorkbenchError } from '../common/errors';

export type EsbuildApi = typeof import('esbuild');

export interface LocatedEsbuild {
  api: EsbuildApi;
  /** Folder of the esbuild package that was loaded. */
  packageDir: string;
  version: string;
  /** `project`: found above the function's code or template; `workbench`: Lambda Workbench's own dependency. */
  source: 'project' | 'workbench';
  /** Said once: the project's esbuild is too old, so Lambda Workbench's own builds instead. */
  notice?: string;
}

/** The oldest esbuild with the incremental context API that rebuilds use. */
const MINIMUM_VERSION = [0, 17] as const;
const INSTALL_HINT = 'Run `npm install --save-dev esbuild` in the project (SAM builds BuildMethod esbuild functions with the project\'s own esbuild).';

/** The nearest node_modules/esbuild in `start` or one of its ancestors. */
function findEsbuildPackage(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, 'node_modules', 'esbuild');
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isSupported(version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major > MINIMUM_VERSION[0] || (major === MINIMUM_VERSION[0] && minor >= MINIMUM_VERSION[1]);
}

function packageVersion(packageDir: string): string {
  return (JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
}

function load(packageDir: string, version: string, source: LocatedEsbuild['source']): LocatedEsbuild {
  return { api: createRequire(path.join(packageDir, 'package.json'))(packageDir) as EsbuildApi, packageDir, version, source };
}

function tooOld(packageDir: string, version: string): WorkbenchError {
  return new WorkbenchError('BUILD_FAILED', `esbuild ${version} in ${packageDir} is too old: Lambda Workbench needs ${MINIMUM_VERSION.join('.')} or later.`, {
    hint: 'Run `npm install --save-dev esbuild@latest` in the project.',
  });
}

/**
 * esbuild from the first of `projectDirs` (e.g. the function's CodeUri, then its template's folder) that has it in a
 * node_modules above it, else from above `ownDir` (this module's folder: the CLI installed from npm, the development
 * extension); BUILD_FAILED with the install hint when neither has it. A project's esbuild older than 0.17 (the stock
 * `sam init` TypeScript project pins ^0.14) gives way to Lambda Workbench's own, with a notice saying so.
 */
export function locateEsbuild(projectDirs: readonly string[], ownDir: string = __dirname): LocatedEsbuild {
  const ownPackage = findEsbuildPackage(ownDir);
  const own = ownPackage ? { packageDir: ownPackage, version: packageVersion(ownPackage) } : undefined;
  for (const dir of projectDirs) {
    const found = findEsbuildPackage(dir);
    if (!found) continue;
    const version = packageVersion(found);
    if (isSupported(version)) return load(found, version, 'project');
    if (!own || !isSupported(own.version)) throw tooOld(found, version);
    return {
      ...load(own.packageDir, own.version, 'workbench'),
      notice: `esbuild ${version} of the project (${found}) is older than ${MINIMUM_VERSION.join('.')}, which Lambda Workbench needs, so it builds with its own esbuild ${own.version}; \`npm install --save-dev esbuild@latest\` in the project makes the project's own esbuild build it, as \`sam build\` does.`,
    };
  }
  if (own) {
    if (!isSupported(own.version)) throw tooOld(own.packageDir, own.version);
    return load(own.packageDir, own.version, 'workbench');
  }
  throw new WorkbenchError('BUILD_FAILED', `esbuild is not installed: no node_modules/esbuild above ${projectDirs.join(' or ')}.`, { hint: INSTALL_HINT });
}
