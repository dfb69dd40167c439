// Each environment's /tmp on the host, in a folder of the service's process: the next service removes what a killed one left.
import { mkdirSync } from 'node:fs';
import { readdir, rm, rmdir } from 'node:fs/promises';
import * as path from 'node:path';
import { processAlive } from '../common/processAlive';

export class EnvironmentTmpDirs {
  private readonly parent: string;
  private readonly own: string;
  private orphansRemoved = false;

  constructor(stateDir: string) {
    this.parent = path.join(stateDir, 'tmp');
    this.own = path.join(this.parent, String(process.pid));
  }

  /** Makes the /tmp of a new environment (the environment removes it when it stops). */
  make(instanceId: string): string {
    const dir = path.join(this.own, instanceId);
    mkdirSync(dir, { recursive: true });
    if (!this.orphansRemoved) {
      this.orphansRemoved = true;
      void this.removeOrphans();
    }
    return dir;
  }

  /** After the service's environments stopped: the process's folder goes once no other service of the process uses it. */
  async dispose(): Promise<void> {
    await rmdir(this.own).catch(() => undefined);
  }

  /**
   * The folders of services that are gone (killed, crashed): their environments never removed their /tmp. Best effort:
   * a folder that cannot be removed now stays as it was, and the next service tries again.
   */
  private async removeOrphans(): Promise<void> {
    const names = await readdir(this.parent).catch(() => []);
    for (const name of names) {
      if (!/^\d+$/.test(name) || processAlive(Number(name))) continue;
      await rm(path.join(this.parent, name), { recursive: true, force: true }).catch(() => undefined);
    }
  }
}
