// Whether a file exists and may be executed by this process, and where a program is on PATH (interpreter, sandbox and tool discovery).
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` in the folders of PATH. */
export function findOnPath(name: string): string | undefined {
  return (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, name)).find(isExecutable);
}
