// Writes a Lambda deployment package: a plain zip (deflate, Unix permissions) of a directory, with no dependency.
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { WorkbenchError } from '../common/errors';

export interface ZipPackageResult {
  zipPath: string;
  fileCount: number;
  sizeBytes: number;
}

/** Limits of the classic zip format (no zip64); Lambda packages stay far below them (250 MB unzipped). */
const MAX_ENTRIES = 0xffff;
const MAX_OFFSET = 0xffffffff;

const METHOD_STORE = 0;
const METHOD_DEFLATE = 8;
/** "Made by" Unix (3), zip spec 2.0 (20): the external attributes then carry the file mode. */
const VERSION_MADE_BY_UNIX = (3 << 8) | 20;
const VERSION_NEEDED = 20;
/** Bit 11: names are UTF-8. */
const FLAG_UTF8 = 0x0800;

interface ZipEntry {
  name: string;
  data: Buffer;
  method: number;
  crc: number;
  uncompressedSize: number;
  mode: number;
  modified: Date;
  localHeaderOffset: number;
}

/**
 * Zips every file under `sourceDir` (sorted, paths relative to it, `/` separators) into `zipPath`.
 * Throws WorkbenchError BUILD_FAILED when the directory is missing or empty.
 */
export async function zipDirectory(sourceDir: string, zipPath: string): Promise<ZipPackageResult> {
  const files = await listFiles(sourceDir);
  if (files.length === 0) {
    throw new WorkbenchError('BUILD_FAILED', `Nothing to package: ${sourceDir} holds no files.`, {
      hint: 'Build the function first, or check its CodeUri.',
    });
  }
  if (files.length > MAX_ENTRIES) {
    throw new WorkbenchError('BUILD_FAILED', `Too many files to package (${files.length}, at most ${MAX_ENTRIES}).`);
  }

  const chunks: Buffer[] = [];
  const entries: ZipEntry[] = [];
  let offset = 0;
  for (const relative of files) {
    const absolute = path.join(sourceDir, relative);
    const [raw, info] = await Promise.all([readFile(absolute), stat(absolute)]);
    const deflated = deflateRawSync(raw);
    const useDeflate = deflated.length < raw.length;
    const entry: ZipEntry = {
      name: relative.split(path.sep).join('/'),
      data: useDeflate ? deflated : raw,
      method: useDeflate ? METHOD_DEFLATE : METHOD_STORE,
      crc: crc32(raw),
      uncompressedSize: raw.length,
      mode: info.mode,
      modified: info.mtime,
      localHeaderOffset: offset,
    };
    const header = localFileHeader(entry);
    chunks.push(header, entry.data);
    offset += header.length + entry.data.length;
    if (offset > MAX_OFFSET) {
      throw new WorkbenchError('BUILD_FAILED', `Package larger than 4 GB: ${sourceDir}.`, {
        hint: 'Lambda accepts at most 250 MB unzipped; exclude build artefacts from the code directory.',
      });
    }
    entries.push(entry);
  }

  const centralDirectoryOffset = offset;
  const central = entries.map(centralDirectoryHeader);
  const centralSize = central.reduce((sum, b) => sum + b.length, 0);
  chunks.push(...central, endOfCentralDirectory(entries.length, centralSize, centralDirectoryOffset));

  const zip = Buffer.concat(chunks);
  await mkdir(path.dirname(zipPath), { recursive: true });
  await writeFile(zipPath, zip);
  return { zipPath, fileCount: entries.length, sizeBytes: zip.length };
}

async function listFiles(root: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true });
  } catch (cause) {
    throw new WorkbenchError('BUILD_FAILED', `Cannot read the code directory ${root}.`, { cause });
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

function localFileHeader(e: ZipEntry): Buffer {
  const name = Buffer.from(e.name, 'utf8');
  const b = Buffer.alloc(30);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(VERSION_NEEDED, 4);
  b.writeUInt16LE(FLAG_UTF8, 6);
  b.writeUInt16LE(e.method, 8);
  writeDosDateTime(b, 10, e.modified);
  b.writeUInt32LE(e.crc, 14);
  b.writeUInt32LE(e.data.length, 18);
  b.writeUInt32LE(e.uncompressedSize, 22);
  b.writeUInt16LE(name.length, 26);
  b.writeUInt16LE(0, 28);
  return Buffer.concat([b, name]);
}

function centralDirectoryHeader(e: ZipEntry): Buffer {
  const name = Buffer.from(e.name, 'utf8');
  const b = Buffer.alloc(46);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(VERSION_MADE_BY_UNIX, 4);
  b.writeUInt16LE(VERSION_NEEDED, 6);
  b.writeUInt16LE(FLAG_UTF8, 8);
  b.writeUInt16LE(e.method, 10);
  writeDosDateTime(b, 12, e.modified);
  b.writeUInt32LE(e.crc, 16);
  b.writeUInt32LE(e.data.length, 20);
  b.writeUInt32LE(e.uncompressedSize, 24);
  b.writeUInt16LE(name.length, 28);
  // extra length, comment length, disk number, internal attributes: all 0
  b.writeUInt32LE(((e.mode & 0xffff) << 16) >>> 0, 38);
  b.writeUInt32LE(e.localHeaderOffset, 42);
  return Buffer.concat([b, name]);
}

function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  const b = Buffer.alloc(22);
  b.writeUInt32LE(0x06054b50, 0);
  b.writeUInt16LE(count, 8);
  b.writeUInt16LE(count, 10);
  b.writeUInt32LE(size, 12);
  b.writeUInt32LE(offset, 16);
  return b;
}

/** MS-DOS date and time (local time, 2-second resolution, years 1980-2107). */
function writeDosDateTime(b: Buffer, at: number, d: Date): void {
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107);
  b.writeUInt16LE((d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2), at);
  b.writeUInt16LE(((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(), at + 2);
}
