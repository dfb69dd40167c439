// Lists the shared libraries (and the dynamic loader) that host executables need, by asking ldd.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { WorkbenchError } from '../common/errors';

const run = promisify(execFile);

/** Absolute paths of every library the given ELF files load, the dynamic loader included, without duplicates. */
export async function sharedLibraries(files: string[]): Promise<string[]> {
  const libraries = new Set<string>();
  for (const file of files) {
    let output: string;
    try {
      output = (await run('ldd', [file], { maxBuffer: 1024 * 1024 })).stdout;
    } catch (error) {
      // ldd exits 1 for files that are not dynamic executables (static binaries, scripts): they need nothing.
      if (/not a dynamic executable/.test(String((error as { stdout?: string; stderr?: string }).stderr ?? ''))) continue;
      if ((error as { code?: unknown }).code === 'ENOENT') {
        throw new WorkbenchError('RUNTIME_UNSUPPORTED', 'Building a runtime image needs `ldd` (glibc) on this machine.', { cause: error });
      }
      throw error;
    }
    for (const line of output.split('\n')) {
      const path = /=>\s+(\/\S+)\s+\(/.exec(line)?.[1] ?? /^\s*(\/\S+)\s+\(/.exec(line)?.[1];
      if (path) libraries.add(path);
    }
  }
  return [...libraries];
}
