// Lambda's deployment package quotas measured against a package: 50 MB zipped (direct upload), 250 MB unzipped with layers.
import { lstat, readdir } from 'node:fs/promises';
import * as path from 'node:path';

/** The byte counts behind Lambda's "50 MB" and "250 MB" (RequestEntityTooLarge / "Unzipped size must be smaller than 262144000 bytes"). */
export const PACKAGE_LIMITS = {
  zippedDirectUploadBytes: 50 * 1024 * 1024,
  unzippedWithLayersBytes: 250 * 1024 * 1024,
} as const;

/** From this share of a limit on, the report lists what takes the space. */
const NEAR_LIMIT = 0.8;
const LARGEST_SHOWN = 5;

/** A folder as the execution environment sees it: the code at /var/task, each layer at /opt. */
export interface MountedContent {
  dir: string;
  mountPoint: string;
}

export interface LimitCheck {
  zippedBytes: number;
  unzippedBytes: number;
  exceeded: boolean;
  /** Printable lines: each limit with its use, and the largest files and folders when a limit is near or exceeded. */
  lines: string[];
}

export async function checkPackageLimits(zippedBytes: number, contents: MountedContent[]): Promise<LimitCheck> {
  const files = (await Promise.all(contents.map((content) => filesOf(content)))).flat();
  const unzippedBytes = files.reduce((sum, file) => sum + file.bytes, 0);
  const zipped = usage('Zipped package', zippedBytes, PACKAGE_LIMITS.zippedDirectUploadBytes, 'for direct upload; larger packages go through S3');
  const unzipped = usage('Unzipped code and layers', unzippedBytes, PACKAGE_LIMITS.unzippedWithLayersBytes, 'the hard limit');
  const lines = [zipped.line, unzipped.line];
  if (zipped.share >= NEAR_LIMIT || unzipped.share >= NEAR_LIMIT) lines.push(...largest(files));
  return { zippedBytes, unzippedBytes, exceeded: zipped.share > 1 || unzipped.share > 1, lines };
}

/** "1.5 MB" in the binary units Lambda's quotas use. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

interface SizedFile {
  /** The path inside the execution environment, e.g. /var/task/node_modules/x/index.js. */
  path: string;
  bytes: number;
}

async function filesOf(content: MountedContent): Promise<SizedFile[]> {
  const entries = await readdir(content.dir, { recursive: true, withFileTypes: true });
  const files: SizedFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    const relative = path.relative(content.dir, absolute).split(path.sep).join('/');
    files.push({ path: `${content.mountPoint}/${relative}`, bytes: (await lstat(absolute)).size });
  }
  return files;
}

function usage(what: string, bytes: number, limit: number, note: string): { share: number; line: string } {
  const share = bytes / limit;
  const verdict = share > 1 ? 'EXCEEDED' : share >= NEAR_LIMIT ? 'near the limit' : 'ok';
  return { share, line: `${what}: ${formatBytes(bytes)} of ${formatBytes(limit)} (${(share * 100).toFixed(1)}%, ${note}): ${verdict}` };
}

/** The largest files and the largest folders (every level, so a big dependency shows with its parents). */
function largest(files: SizedFile[]): string[] {
  const folders = new Map<string, number>();
  for (const file of files) {
    const parts = file.path.split('/');
    // Skip the mount point itself (/var/task, /opt): every file is under it.
    const mountDepth = file.path.startsWith('/var/task/') ? 3 : 2;
    for (let depth = mountDepth + 1; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join('/');
      folders.set(folder, (folders.get(folder) ?? 0) + file.bytes);
    }
  }
  const top = <T>(items: T[], size: (item: T) => number) => [...items].sort((a, b) => size(b) - size(a)).slice(0, LARGEST_SHOWN);
  return [
    'Largest folders:',
    ...top([...folders], ([, bytes]) => bytes).map(([folder, bytes]) => `  ${formatBytes(bytes).padStart(9)}  ${folder}/`),
    'Largest files:',
    ...top(files, (file) => file.bytes).map((file) => `  ${formatBytes(file.bytes).padStart(9)}  ${file.path}`),
  ];
}
