// The host's debugpy (Debian's python3-debugpy and the pydevd files it links to) as image entries, so local Python images can be debugged.
import { existsSync, lstatSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { TarEntry } from './tarWriter';

/** Where python3-debugpy installs; our Python runtime client imports debugpy from there when asked to debug (debugging.py). */
export const DEBIAN_DIST_PACKAGES = '/usr/lib/python3/dist-packages';
/** debugpy itself and the one package its pydevd imports besides the files debugpy links to. */
const ROOT_PACKAGES = ['debugpy', 'bytecode'];

export interface HostPythonFiles {
  /** The files at their host paths (the image keeps the layout, symlinks included). */
  entries: TarEntry[];
  /** Compiled extension modules among them, whose shared libraries the image needs too. */
  sharedObjects: string[];
}

const isInside = (file: string, root: string): boolean => file === root || file.startsWith(root + sep);

/**
 * Every file of debugpy, and of whatever its symlinks point at (Debian links debugpy's vendored pydevd to the
 * python3-pydevd files beside it). Empty when python3-debugpy is not installed: the image then cannot debug,
 * and the runtime client says how to install it.
 */
export function pythonDebuggerFiles(distPackages = DEBIAN_DIST_PACKAGES): HostPythonFiles {
  const pending = ROOT_PACKAGES.map((name) => join(distPackages, name)).filter((path) => existsSync(path));
  if (!pending.some((path) => path.endsWith(`${sep}debugpy`))) return { entries: [], sharedObjects: [] };
  return hostFileTrees(pending);
}

/** Every file under the given host paths and under whatever their symlinks point at, at their host paths. */
export function hostFileTrees(paths: string[]): HostPythonFiles {
  const pending = [...paths];
  const roots: string[] = [];
  const entries: TarEntry[] = [];
  const addTree = (path: string): void => {
    const info = lstatSync(path);
    if (info.isSymbolicLink()) {
      entries.push({ type: 'symlink', path: path.slice(1), target: readlinkSync(path) });
      const target = realpathSync(path);
      if (!roots.some((root) => isInside(target, root)) && !pending.includes(target)) pending.push(target);
    } else if (info.isDirectory()) {
      for (const name of readdirSync(path).sort()) if (name !== '__pycache__') addTree(join(path, name));
    } else if (info.isFile()) {
      entries.push({ type: 'file', path: path.slice(1), mode: info.mode & 0o777, source: path });
    }
  };
  while (pending.length > 0) {
    const root = resolve(pending.shift()!);
    if (roots.some((known) => isInside(root, known))) continue;
    roots.push(root);
    addTree(root);
  }
  // A symlink's target may have been collected before the tree holding the link; files are never listed twice.
  const seen = new Set<string>();
  const unique = entries.filter((entry) => !seen.has(entry.path) && seen.add(entry.path));
  const sharedObjects = unique.flatMap((entry) => (entry.type === 'file' && 'source' in entry && entry.source.endsWith('.so') ? [entry.source] : []));
  return { entries: unique, sharedObjects };
}
