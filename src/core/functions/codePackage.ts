// Function code on disk: CodeSha256 / CodeSize of a package, ZipFile uploads extracted with Lambda's error, immutable snapshots for versions.
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { extractZip } from '../build/zipExtraction';
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

/** Extracts an uploaded deployment package into `target` (replaced); a zip that does not extract is Lambda's InvalidParameterValueException. */
export async function extractUploadedZip(zip: Buffer, target: string): Promise<void> {
  await rm(target, { recursive: true, force: true });
  await extractZip(zip, target).catch((error: unknown) => {
    // The disk's own errors (they name a syscall) are not the upload's fault.
    throw (error as NodeJS.ErrnoException).syscall ? error : invalidZip();
  });
}

function invalidZip(): ServiceError {
  return new ServiceError('InvalidParameterValueException', UNZIP_FAILED);
}
