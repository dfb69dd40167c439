// For engines that do not share this machine's files (tcp://, ssh://): the code, the layers and /tmp as one tar archive, uploaded into the container.
import { createWriteStream, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { dirname, join, posix, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type Dockerode from 'dockerode';
import { extract } from 'tar-stream';
import { tarStream, type TarEntry } from '../../images/tarWriter';
import type { LaunchRequest } from '../backend';
import { SANDBOX_USER } from './containerConfig';

/**
 * /var/task from the code folder, /opt from the layers in order (a later layer's files overwrite an earlier one's, as
 * Lambda extracts them), both owned by root so the sandbox user cannot change them, and /tmp, the sandbox user's, from
 * the environment's own folder (what it held before a reset). Paths have no leading slash, for an upload at `/`.
 */
function codeArchiveEntries(request: LaunchRequest): TarEntry[] {
  const code = request.spec.packageType === 'Image' ? [] : treeEntries(request.codeDir, 'var/task');
  const tmp = treeEntries(request.tmpDir, 'tmp').map((entry): TarEntry => ({ ...entry, owner: SANDBOX_USER }));
  return [...code, ...request.layerDirs.flatMap((dir) => treeEntries(dir, 'opt')), ...tmp];
}

/** Uploads the function's files into a created container, before it starts (the engine extracts the archive at `/`). */
export async function uploadCode(container: Dockerode.Container, request: LaunchRequest): Promise<void> {
  await container.putArchive(tarStream(codeArchiveEntries(request)), { path: '/' });
}

/**
 * Copies the container's /tmp back into the environment's folder (replacing what it held) once the container has
 * ended and before it is removed, so the environment's next runtime finds it, as Lambda keeps /tmp across a reset.
 */
export async function downloadTmp(container: Dockerode.Container, tmpDir: string): Promise<void> {
  const archive = await container.getArchive({ path: '/tmp' });
  await rm(tmpDir, { recursive: true, force: true });
  await mkdir(tmpDir, { recursive: true });
  const root = resolve(tmpDir);
  const extraction = extract();
  extraction.on('entry', (header, body, next) => {
    // The archive's first component is `tmp` itself; nothing may land outside the folder.
    const inside = header.name.split('/').slice(1).join('/');
    const target = resolve(root, inside);
    const written = (async () => {
      const safe = target.startsWith(root + sep);
      if (safe && header.type === 'file') {
        await mkdir(dirname(target), { recursive: true });
        return pipeline(body, createWriteStream(target, { mode: header.mode }));
      }
      body.resume();
      if (safe && header.type === 'directory') await mkdir(target, { recursive: true, mode: header.mode });
      else if (safe && header.type === 'symlink' && header.linkname) await symlink(header.linkname, target);
    })();
    written.then(() => next(), next);
  });
  await pipeline(archive, extraction);
}

/** Every entry under `dir` (folders, files with their modes, symlinks as links), placed under `target`. */
function treeEntries(dir: string, target: string): TarEntry[] {
  const entries: TarEntry[] = [];
  const visit = (folder: string, at: string): void => {
    for (const name of readdirSync(folder).sort()) {
      const source = join(folder, name);
      const path = posix.join(at, name);
      const info = lstatSync(source);
      if (info.isSymbolicLink()) entries.push({ type: 'symlink', path, target: readlinkSync(source) });
      else if (info.isDirectory()) {
        entries.push({ type: 'directory', path, mode: info.mode & 0o7777 });
        visit(source, path);
      } else if (info.isFile()) entries.push({ type: 'file', path, mode: info.mode & 0o777, source });
    }
  };
  visit(dir, target);
  return entries;
}
