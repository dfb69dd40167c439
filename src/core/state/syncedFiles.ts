// Writes that survive a crash of the machine, not only of the process: file data fdatasynced, directory entries fsynced.
import { open } from 'node:fs/promises';

/** Writes (flags 'w') or appends (flags 'a') `text`, and returns once the data is on disk. */
export async function writeSynced(file: string, text: string, flags: 'w' | 'a'): Promise<void> {
  const handle = await open(file, flags);
  try {
    await handle.writeFile(text);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** Makes the directory's entries (a rename into it) durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
