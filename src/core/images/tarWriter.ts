// Writes a tar stream (tar-stream: ustar with pax headers for long names) from a list of entries, reading host files lazily, for `docker import`.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack, type Headers, type Pack } from 'tar-stream';

export type TarEntry = (
  | { type: 'file'; path: string; mode: number; source: string }
  | { type: 'file'; path: string; mode: number; content: Buffer }
  | { type: 'directory'; path: string; mode: number }
  | { type: 'symlink'; path: string; target: string }
) & {
  /** Owner in the archive (default root). */
  owner?: { uid: number; gid: number };
};

/** Fixed owner and time, so identical inputs give identical archives. */
const FIXED = { uid: 0, gid: 0, mtime: new Date(0) };

/** A readable tar archive of `entries` (paths relative to the archive root, no leading slash). */
export function tarStream(entries: TarEntry[]): Readable {
  const archive = pack();
  writeEntries(archive, entries).then(
    () => archive.finalize(),
    (error: unknown) => archive.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  return archive;
}

async function writeEntries(archive: Pack, entries: TarEntry[]): Promise<void> {
  for (const entry of entries) {
    const owner = entry.owner ?? {};
    if (entry.type === 'directory') {
      await addEntry(archive, { name: entry.path, type: 'directory', mode: entry.mode, ...owner });
    } else if (entry.type === 'symlink') {
      await addEntry(archive, { name: entry.path, type: 'symlink', mode: 0o777, linkname: entry.target, ...owner });
    } else if ('content' in entry) {
      await addEntry(archive, { name: entry.path, type: 'file', mode: entry.mode, size: entry.content.length, ...owner }, entry.content);
    } else {
      // stat follows symlinks: shared libraries are stored as the files they point to. tar-stream refuses a file
      // whose size changed while it was archived.
      const size = (await stat(entry.source)).size;
      await addEntry(archive, { name: entry.path, type: 'file', mode: entry.mode, size, ...owner }, entry.source);
    }
  }
}

/** One entry: no body, a buffer, or a host file streamed into it. */
function addEntry(archive: Pack, header: Headers, body?: Buffer | string): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve());
    if (typeof body !== 'string') {
      archive.entry({ ...FIXED, ...header }, body, done);
      return;
    }
    const sink = archive.entry({ ...FIXED, ...header }, done);
    pipeline(createReadStream(body), sink).catch(reject);
  });
}
