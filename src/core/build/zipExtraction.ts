// Extracts a zip (a file or bytes) into a folder with yauzl: Unix modes kept, symbolic links made last, no entry outside the folder.
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, symlink } from 'node:fs/promises';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fromBufferPromise, openPromise, type Entry, type Options } from 'yauzl';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const OPTIONS: Options = { lazyEntries: true, strictFileNames: false, validateEntrySizes: true };

/**
 * Unzips `zip` (a path or the zip's bytes) into `into` with the entries' Unix modes (executables stay executable). yauzl
 * refuses absolute names and `..`; symbolic links are made last, so no entry can be written through one. Errors of the
 * zip itself are yauzl's; errors of the disk are Node's (they carry a `syscall`).
 */
export async function extractZip(zip: string | Buffer, into: string): Promise<void> {
  const archive = typeof zip === 'string' ? await openPromise(zip, OPTIONS) : await fromBufferPromise(zip, OPTIONS);
  const links: Array<{ at: string; target: string }> = [];
  try {
    await mkdir(into, { recursive: true });
    for await (const entry of archive.eachEntry()) {
      const at = path.join(into, entry.fileName);
      const mode = unixMode(entry);
      if (entry.fileName.endsWith('/') || (mode & S_IFMT) === S_IFDIR) {
        await mkdir(at, { recursive: true });
        continue;
      }
      await mkdir(path.dirname(at), { recursive: true });
      const stream = await archive.openReadStreamPromise(entry);
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
    archive.close();
  }
  for (const link of links) await symlink(link.target, link.at);
}

/** The Unix mode in the high half of the external attributes (0 when the zip was made elsewhere). */
function unixMode(entry: Entry): number {
  const madeBy = entry.versionMadeBy >> 8;
  return madeBy === 3 ? entry.externalFileAttributes >>> 16 : 0;
}
