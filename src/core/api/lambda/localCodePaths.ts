// Local code paths of Lambda API callers (S3Bucket "hot-reload" + S3Key): confined to the project root and the state directory.
import * as path from 'node:path';
import { describeEscape, pathEscape } from '../../common/projectRoot';
import { ServiceError } from '../../service/invocation';

/** A folder local code paths may come from, with what it is for the error (the project root, the state directory). */
export interface LocalCodeRoot {
  path: string;
  label: string;
}

/**
 * `key` (absolute) normalised, when it stays inside one of `roots` with symbolic links resolved; else
 * InvalidParameterValueException. The normalised path is the one checked and the one to use: the file system would
 * resolve `link/..` in the key as written through the link, and lead elsewhere.
 */
export function confinedLocalCodePath(key: string, roots: readonly LocalCodeRoot[], extra: Record<string, string> = {}): string {
  const normalised = path.resolve(key);
  const escape = pathEscape(normalised, roots.map((root) => root.path));
  if (!escape) return normalised;
  const allowed = roots.map((root) => `${root.path} (${root.label})`).join(', ');
  throw new ServiceError('InvalidParameterValueException',
    `S3Key ${describeEscape(escape)} is outside the folders local code may come from: ${allowed || 'none'}. `
    + 'Move the code into the project, or start the endpoint with a project root that holds it (--project-root, or the lambdaWorkbench.projectRoot setting).',
    extra);
}

/** The roots of a front end: its project roots, then its state directory (where published code and API uploads live). */
export function localCodeRoots(projectRoots: readonly string[], stateDir: string): LocalCodeRoot[] {
  return [...projectRoots.map((root) => ({ path: root, label: 'project root' })), { path: stateDir, label: 'state directory' }];
}
