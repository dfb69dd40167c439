// Layers merged at /opt without copying: read-only bind mounts of each path from the last layer that provides it.
import { readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

export interface BindMount {
  Type: 'bind';
  Source: string;
  Target: string;
  ReadOnly: boolean;
}

/**
 * Lambda extracts layers into /opt in order, later layers overwriting earlier ones. An entry that one layer
 * provides becomes one mount; a folder that several layers provide is descended into, down to the entries they do
 * not share (so `nodejs/node_modules` of two layers gives one mount per package).
 */
export function layerMounts(layerDirs: string[]): BindMount[] {
  return layerDirs.length === 0 ? [] : mergeFolders(layerDirs, '/opt');
}

function mergeFolders(folders: string[], target: string): BindMount[] {
  const byName = new Map<string, string[]>();
  for (const folder of folders) {
    for (const name of readdirSync(folder)) byName.set(name, [...(byName.get(name) ?? []), join(folder, name)]);
  }
  const mounts: BindMount[] = [];
  for (const [name, paths] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    // A file hides whatever earlier layers had at its path; only what comes after it still counts.
    const isFile = paths.map((path) => !statSync(path).isDirectory());
    const lastFile = isFile.lastIndexOf(true);
    const live = lastFile === paths.length - 1 ? [paths[lastFile]!] : paths.slice(lastFile + 1);
    const childTarget = posix.join(target, name);
    if (live.length === 1) mounts.push({ Type: 'bind', Source: live[0]!, Target: childTarget, ReadOnly: true });
    else mounts.push(...mergeFolders(live, childTarget));
  }
  return mounts;
}
