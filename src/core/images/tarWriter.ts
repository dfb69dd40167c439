// Writes a POSIX (ustar + pax) tar stream from a list of entries, reading host files lazily, for `docker import`.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';

export type TarEntry =
  | { type: 'file'; path: string; mode: number; source: string }
  | { type: 'file'; path: string; mode: number; content: Buffer }
  | { type: 'directory'; path: string; mode: number }
  | { type: 'symlink'; path: string; target: string };

const BLOCK = 512;

/** A readable tar archive of `entries` (paths relative to the archive root, no leading slash). */
export function tarStream(entries: TarEntry[]): Readable {
  return Readable.from(generate(entries));
}

async function* generate(entries: TarEntry[]): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    if (entry.type === 'directory') {
      yield* header(entry.path.endsWith('/') ? entry.path : `${entry.path}/`, { mode: entry.mode, size: 0, type: '5' });
    } else if (entry.type === 'symlink') {
      yield* header(entry.path, { mode: 0o777, size: 0, type: '2', linkName: entry.target });
    } else if ('content' in entry) {
      yield* header(entry.path, { mode: entry.mode, size: entry.content.length, type: '0' });
      yield entry.content;
      yield padding(entry.content.length);
    } else {
      // stat follows symlinks: shared libraries are stored as the files they point to.
      const size = (await stat(entry.source)).size;
      yield* header(entry.path, { mode: entry.mode, size, type: '0' });
      let written = 0;
      for await (const chunk of createReadStream(entry.source)) {
        written += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      if (written !== size) throw new Error(`${entry.source} changed size while it was archived`);
      yield padding(size);
    }
  }
  yield Buffer.alloc(BLOCK * 2);
}

function* header(path: string, fields: { mode: number; size: number; type: string; linkName?: string }): Generator<Buffer> {
  const needsPax = Buffer.byteLength(path) > 100 || Buffer.byteLength(fields.linkName ?? '') > 100;
  if (needsPax) {
    const records = paxRecord('path', path) + (fields.linkName ? paxRecord('linkpath', fields.linkName) : '');
    const body = Buffer.from(records);
    yield ustarHeader('PaxHeader', { mode: 0o644, size: body.length, type: 'x' });
    yield body;
    yield padding(body.length);
  }
  yield ustarHeader(needsPax ? path.slice(-100) : path, { ...fields, linkName: needsPax ? '' : fields.linkName });
}

/** A pax record is "<length> key=value\n" where length counts the whole record, its own digits included. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(rest) + 1;
  while (String(length).length + Buffer.byteLength(rest) !== length) length++;
  return `${length}${rest}`;
}

function ustarHeader(name: string, fields: { mode: number; size: number; type: string; linkName?: string }): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  writeOctal(block, fields.mode, 100, 8);
  writeOctal(block, 0, 108, 8); // uid root
  writeOctal(block, 0, 116, 8); // gid root
  writeOctal(block, fields.size, 124, 12);
  writeOctal(block, 0, 136, 12); // mtime: fixed, so identical inputs give identical archives
  block.fill(' ', 148, 156); // checksum field counts as spaces while summing
  block.write(fields.type, 156, 1, 'latin1');
  block.write(fields.linkName ?? '', 157, 100, 'utf8');
  block.write('ustar\u000000', 257, 8, 'latin1');
  let checksum = 0;
  for (const byte of block) checksum += byte;
  block.write(`${checksum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'latin1');
  return block;
}

function writeOctal(block: Buffer, value: number, offset: number, length: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'latin1');
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}
