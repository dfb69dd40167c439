// Writes a Lambda deployment package with yazl: a zip (deflate, Unix permissions, UTF-8 names) of a directory.
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { WorkbenchError } from '../common/errors';

export interface ZipPackageResult {
  zipPath: string;
  fileCount: number;
  sizeBytes: number;
}

/** Lambda accepts at most 250 MB unzipped; a package past the classic zip limits is a mistake, not a package. */
const MAX_ENTRIES = 0xffff;

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
  const zip = new ZipFile();
  for (const relative of files) {
    // yazl takes each file's mode and modification time from the file itself.
    zip.addFile(path.join(sourceDir, relative), relative.split(path.sep).join('/'), { compress: true });
  }
  zip.end();
  await mkdir(path.dirname(zipPath), { recursive: true });
  await pipeline(zip.outputStream, createWriteStream(zipPath));
  return { zipPath, fileCount: files.length, sizeBytes: (await stat(zipPath)).size };
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
