// The project root that paths from templates and API callers must stay inside, and the real-path check that keeps them there.
import { existsSync, realpathSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Where a template's project is when nobody said: the nearest ancestor of its folder holding `.git`, else `cwd` when it
 * contains the template (the CLI's working directory), else the template's folder.
 */
export function defaultProjectRoot(templatePath: string, cwd?: string): string {
  const templateDir = path.dirname(path.resolve(templatePath));
  for (let dir = templateDir; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) break;
  }
  if (cwd !== undefined && isInside(templateDir, path.resolve(cwd))) return path.resolve(cwd);
  return templateDir;
}

/** `target` is `root` or below it (both absolute and normalised). */
function isInside(target: string, root: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/** The path with every symbolic link resolved; the part that does not exist yet is appended as written. */
export function realPath(target: string): string {
  const absolute = path.resolve(target);
  try {
    return realpathSync.native(absolute);
  } catch {
    const parent = path.dirname(absolute);
    return parent === absolute ? absolute : path.join(realPath(parent), path.basename(absolute));
  }
}

/** A path that leaves every allowed root: what it resolves to, and what it was compared with. */
export interface PathEscape {
  /** The path as resolved (symbolic links kept). */
  resolved: string;
  /** The path with symbolic links resolved, when that differs (a link pointing outside). */
  linkTarget?: string;
  roots: readonly string[];
}

/** Undefined when `target` (absolute) is inside one of `roots` once symbolic links are resolved on both sides; else why not. */
export function pathEscape(target: string, roots: readonly string[]): PathEscape | undefined {
  const resolved = path.resolve(target);
  const real = realPath(resolved);
  if (roots.some((root) => isInside(real, realPath(root)))) return undefined;
  return { resolved, ...(real !== resolved ? { linkTarget: real } : {}), roots };
}

/** "/repo/code (a symbolic link to /etc)": the escape as a reader should see it. */
export function describeEscape(escape: PathEscape): string {
  return escape.linkTarget === undefined ? escape.resolved : `${escape.resolved} (which leads to ${escape.linkTarget} through a symbolic link)`;
}
