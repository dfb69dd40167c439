// Deployment packages given as .zip files (CodeUri, layer ContentUri): extracted once into a cache keyed by the zip's SHA-256.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WorkbenchError, errorMessage } from '../common/errors';
import { extractZip } from './zipExtraction';

export class PackageCache {
  /** One extraction per zip content at a time, shared by every function and layer using it. */
  private readonly extractions = new Map<string, Promise<string>>();

  /** `root` holds one folder per zip content: <root>/<sha256>. */
  constructor(private readonly root: string) {}

  /** The folder to run from: `codePath` itself when it is a folder, else the zip's extracted copy. */
  async directory(codePath: string): Promise<string> {
    const info = await stat(codePath).catch((cause: unknown) => {
      throw new WorkbenchError('PACKAGE_INVALID', `The code of this function is missing: ${codePath} (${errorMessage(cause)}).`, {
        hint: 'Point CodeUri (or ContentUri) at a folder or a .zip file.',
        cause,
      });
    });
    if (info.isDirectory()) return codePath;
    const hash = await sha256(codePath);
    let extraction = this.extractions.get(hash);
    if (!extraction) {
      extraction = this.extract(codePath, path.join(this.root, hash));
      this.extractions.set(hash, extraction);
      extraction.catch(() => this.extractions.delete(hash));
    }
    return extraction;
  }

  private async extract(zipPath: string, target: string): Promise<string> {
    if (await stat(target).then((s) => s.isDirectory(), () => false)) return target;
    // Extract beside the target and rename: a crash or a second process never sees half a package.
    const partial = `${target}.partial-${randomBytes(4).toString('hex')}`;
    try {
      await extractZip(zipPath, partial);
      await rename(partial, target).catch(async (error: NodeJS.ErrnoException) => {
        // Another process finished the same package first: its copy is as good.
        if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      });
    } catch (cause) {
      throw new WorkbenchError('PACKAGE_INVALID', `Could not unzip ${zipPath}: ${errorMessage(cause)}`, {
        hint: 'Lambda would refuse this package too (InvalidZipFileException); rebuild the .zip.',
        cause,
      });
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
    return target;
  }
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}
