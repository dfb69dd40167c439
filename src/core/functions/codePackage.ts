// Function code on disk: CodeSha256 / CodeSize of a package, zip extraction (ZipFile uploads), immutable snapshots for versions.
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fromBuffer, type Entry, type ZipFile } from 'yauzl';
import { ServiceError } from '../service/invocation';

export interface CodeDigest {
  /** Base64 SHA-256, as Lambda reports CodeSha256. */
  sha256: string;
  size: number;
}

/** A zip package is hashed as Lambda hashes it: SHA-256 of the zip bytes, CodeSize its length. */
export function digestZip(zip: Buffer): CodeDigest {
  return { sha256: createHash('sha256').update(zip).digest('base64'), size: zip.length };
}

/**
 * A local directory has no zip yet: its digest covers every file's relative path, executable bit and bytes (sorted), and
 * CodeSize is the bytes of its files. The same files always give the same CodeSha256, whatever their timestamps.
 */
export async function digestDirectory(dir: string): Promise<CodeDigest> {
  const hash = createHash('sha256');
  let size = 0;
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  const files = entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name)).sort();
  for (const file of files) {
    const [content, info] = await Promise.all([readFile(file), stat(file)]);
    hash.update(path.relative(dir, file).split(path.sep).join('/')).update('\0').update((info.mode & 0o111) !== 0 ? 'x' : '-').update(content);
    size += content.length;
  }
  return { sha256: hash.digest('base64'), size };
}

/** The digest of an image function: its image reference (a local image has no registry digest). */
export function digestImage(imageUri: string): CodeDigest {
  return { sha256: createHash('sha256').update(imageUri).digest('base64'), size: 0 };
}

/** Copies a code directory to `target` (symbolic links followed), so later changes to the source never reach it. */
export async function snapshotDirectory(source: string, target: string): Promise<void> {
  await rm(target, { recursive: true, force: true });
  await mkdir(path.dirname(target), { recursive: true });
  await cp(source, target, { recursive: true, dereference: true });
}

const UNZIP_FAILED = 'Could not unzip uploaded file. Please check your file, then try to upload again.';

/** Extracts a deployment package into `target` (replaced), keeping Unix modes; entries that leave the folder are refused. */
export async function extractZip(zip: Buffer, target: string): Promise<void> {
  const archive = await new Promise<ZipFile>((resolve, reject) => {
    fromBuffer(zip, { lazyEntries: true }, (error, file) => (error ? reject(invalidZip()) : resolve(file)));
  });
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  await new Promise<void>((resolve, reject) => {
    archive.on('error', () => reject(invalidZip()));
    archive.on('end', () => resolve());
    archive.on('entry', (entry: Entry) => {
      writeEntry(archive, entry, target).then(() => archive.readEntry(), (error: unknown) => {
        archive.close();
        reject(error);
      });
    });
    archive.readEntry();
  });
}

async function writeEntry(archive: ZipFile, entry: Entry, target: string): Promise<void> {
  const destination = path.resolve(target, entry.fileName);
  if (destination !== target && !destination.startsWith(`${target}${path.sep}`)) throw invalidZip();
  if (entry.fileName.endsWith('/')) {
    await mkdir(destination, { recursive: true });
    return;
  }
  const content = await new Promise<Buffer>((resolve, reject) => {
    archive.openReadStream(entry, (error, stream) => {
      if (error) return reject(invalidZip());
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
      stream.on('error', () => reject(invalidZip()));
    });
  });
  const unixMode = (entry.externalFileAttributes >>> 16) & 0o777;
  await mkdir(path.dirname(destination), { recursive: true });
  await writeFile(destination, content, { mode: unixMode || 0o644 });
}

function invalidZip(): ServiceError {
  return new ServiceError('InvalidParameterValueException', UNZIP_FAILED);
}
