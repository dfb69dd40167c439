// Locates files shipped with Lambda Workbench (bundled runtimes, resources) from wherever the running code was loaded.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

let cachedRoot: string | undefined;

/** The folder holding Lambda Workbench's package.json (the repository, or the installed extension). */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'lambda-workbench') {
      cachedRoot = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Lambda Workbench package root not found above ${__dirname}`);
    dir = parent;
  }
}

/** A file under dist/ (bundled runtime clients, webview scripts). */
export function distPath(...segments: string[]): string {
  return path.join(packageRoot(), 'dist', ...segments);
}
