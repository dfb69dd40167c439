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
}

/** The oldest esbuild with the incremental context API that rebuilds use. */
const MINIMUM_VERSION = [0, 17] as const;
const INSTALL_HINT = 'Run `npm install --save-dev esbuild` in the project (SAM builds BuildMethod esbuild functions with the project\'s own esbuild).';

/** The nearest node_modules/esbuild in `start` or one of its ancestors. */
export function findEsbuildPackage(start: string): string | undefined {
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

function load(packageDir: string, source: LocatedEsbuild['source']): LocatedEsbuild {
  const manifest = path.join(packageDir, 'package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  if (!isSupported(version)) {
    throw new WorkbenchError('BUILD_FAILED', `esbuild ${version} in ${packageDir} is too old: Lambda Workbench needs ${MINIMUM_VERSION.join('.')} or later.`, {
      hint: 'Run `npm install --save-dev esbuild@latest` in the project.',
    });
  }
  return { api: createRequire(manifest)(packageDir) as EsbuildApi, packageDir, version, source };
}

/**
 * esbuild from the first of `projectDirs` (e.g. the function's CodeUri, then its template's folder) that has it in a
 * node_modules above it, else from above `ownDir` (this module's folder: the CLI installed from npm, the development
 * extension); BUILD_FAILED with the install hint when neither has it.
 */
export function locateEsbuild(projectDirs: readonly string[], ownDir: string = __dirname): LocatedEsbuild {
  for (const dir of projectDirs) {
    const found = findEsbuildPackage(dir);
    if (found) return load(found, 'project');
  }
  const own = findEsbuildPackage(ownDir);
  if (own) return load(own, 'workbench');
  throw new WorkbenchError('BUILD_FAILED', `esbuild is not installed: no node_modules/esbuild above ${projectDirs.join(' or ')}.`, { hint: INSTALL_HINT });
}
