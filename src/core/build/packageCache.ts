// Deployment packages given as .zip files (CodeUri, layer ContentUri): extracted once into a cache keyed by the zip's SHA-256.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, rename, rm, stat, symlink } from 'node:fs/promises';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openPromise, type Entry } from 'yauzl';
import { WorkbenchError, errorMessage } from '../common/errors';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

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

/**
 * Unzips with the entries' Unix modes (executables stay executable). yauzl refuses absolute names and `..`; symbolic links
 * are made last, so no entry can be written through one.
 */
async function extractZip(zipPath: string, into: string): Promise<void> {
  const zip = await openPromise(zipPath, { lazyEntries: true, strictFileNames: false, validateEntrySizes: true });
  const links: Array<{ at: string; target: string }> = [];
  try {
    await mkdir(into, { recursive: true });
    for await (const entry of zip.eachEntry()) {
      const at = path.join(into, entry.fileName);
      const mode = unixMode(entry);
      if (entry.fileName.endsWith('/') || (mode & S_IFMT) === S_IFDIR) {
        await mkdir(at, { recursive: true });
        continue;
      }
      await mkdir(path.dirname(at), { recursive: true });
      const stream = await zip.openReadStreamPromise(entry);
      if ((mode & S_IFMT) === S_IFLNK) {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        links.push({ at, target: Buffer.concat(chunks).toString('utf8') });
        continue;
      }
      await pipeline(stream, createWriteStream(at));
      // Files of zips made on Windows carry no mode: readable, as Lambda makes them.
      await chmod(at, mode & 0o777 || 0o644);
    }
  } finally {
    zip.close();
  }
  for (const link of links) await symlink(link.target, link.at);
}

/** The Unix mode in the high half of the external attributes (0 when the zip was made elsewhere). */
function unixMode(entry: Entry): number {
  const madeBy = entry.versionMadeBy >> 8;
  return madeBy === 3 ? entry.externalFileAttributes >>> 16 : 0;
}
