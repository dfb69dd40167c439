// The workspace's persisted state (<stateDir>/state): JSON documents written atomically (write-then-rename), code snapshots beside them.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { WorkbenchError } from '../common/errors';

/** The folder every persisted thing lives under; `state reset` removes it. */
export function stateRoot(stateDir: string): string {
  return path.join(path.resolve(stateDir), 'state');
}

export class StateStore {
  /** One write at a time per document, in call order, so a later state never loses to an earlier one. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(readonly root: string) {}

  /** A folder for a document's binary parts (code snapshots, layer contents). */
  dir(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  /** The document, or undefined when it was never written. A corrupt file is an error that names it. */
  async read<T>(name: string): Promise<T | undefined> {
    const file = this.file(name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new WorkbenchError('STATE_INVALID', `The saved state ${file} is not valid JSON: ${(error as Error).message}.`, {
        hint: "Run 'lambda-workbench state reset' to start from the template again.",
        cause: error,
      });
    }
  }

  /** Writes the document to a temporary file and renames it over the old one: a crash leaves the old or the new state. */
  write(name: string, value: unknown): Promise<void> {
    const text = JSON.stringify(value, null, 1);
    const previous = this.writes.get(name) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async () => {
      const file = this.file(name);
      await mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${randomUUID()}.tmp`;
      await writeFile(temporary, text);
      await rename(temporary, file);
    });
    this.writes.set(name, next);
    return next;
  }

  /** Waits for every pending write. */
  async flush(): Promise<void> {
    await Promise.all([...this.writes.values()].map((write) => write.catch(() => undefined)));
  }

  private file(name: string): string {
    return path.join(this.root, `${name}.json`);
  }
}

/** `lambda-workbench state reset`: forgets every API-made function, version, alias, layer and setting of the workspace. */
export async function resetState(stateDir: string): Promise<string> {
  const root = stateRoot(stateDir);
  await rm(root, { recursive: true, force: true });
  return root;
}
