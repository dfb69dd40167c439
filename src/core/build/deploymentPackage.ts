// The zip Lambda would receive for a function (its build output, or the user's own .zip) and its size against Lambda's quotas.
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { FunctionSpec } from '../template/functionSpec';
import { FunctionBuilder } from './functionBuilder';
import { checkPackageLimits, type LimitCheck, type MountedContent } from './packageLimits';
import { zipDirectory } from './zipPackage';

export interface DeploymentPackage {
  zipPath: string;
  fileCount: number;
  limits: LimitCheck;
}

/**
 * Writes `output`: esbuild functions are built first (a builder of its own, so running instances are not touched), a
 * .zip CodeUri is copied as it is; every other function's folder is zipped with its files' modes.
 */
export async function writeDeploymentPackage(spec: FunctionSpec, options: { stateDir: string; output: string }): Promise<DeploymentPackage> {
  const builder = new FunctionBuilder(path.join(options.stateDir, 'packaging'));
  try {
    const { codeDir } = await builder.build(spec);
    const output = path.resolve(options.output);
    if (!spec.build && codeDir !== spec.codeDir) {
      // A user-built zip (codeDir is its extracted copy): that zip is the package, byte for byte.
      await mkdir(path.dirname(output), { recursive: true });
      await copyFile(spec.codeDir, output);
    } else {
      await zipDirectory(codeDir, output);
    }
    const fileCount = await countFiles(codeDir);
    const layers = await Promise.all(spec.layers.flatMap((layer) => (layer.contentDir ? [builder.packages.directory(layer.contentDir)] : [])));
    const contents: MountedContent[] = [{ dir: codeDir, mountPoint: '/var/task' }, ...layers.map((dir) => ({ dir, mountPoint: '/opt' }))];
    const limits = await checkPackageLimits((await stat(output)).size, contents);
    return { zipPath: output, fileCount, limits };
  } finally {
    await builder.dispose();
  }
}

async function countFiles(dir: string): Promise<number> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).length;
}
