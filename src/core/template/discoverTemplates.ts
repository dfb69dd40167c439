// Finds SAM / CloudFormation templates under a folder: template.yaml|yml|json, *.template.*, and cdk.out/*.template.json.
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.aws-sam', 'dist', '.lambda-workbench']);
const TEMPLATE_NAME = /^(template|.+\.template)\.(ya?ml|json)$/i;

async function walk(dir: string, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const inCdkOut = path.basename(dir) === 'cdk.out';
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      // cdk.out holds synthesized templates at its top level and bundled assets (never templates) below it.
      if (!SKIPPED_DIRS.has(entry.name) && !inCdkOut) await walk(full, found);
    } else if (entry.isFile() && (inCdkOut ? /\.template\.json$/i.test(entry.name) : TEMPLATE_NAME.test(entry.name))) {
      found.push(full);
    }
  }
}

/** Absolute paths of the templates under `rootDir`, sorted; symbolic links are not followed. */
export async function discoverTemplates(rootDir: string): Promise<string[]> {
  const found: string[] = [];
  await walk(path.resolve(rootDir), found);
  return found.sort();
}
