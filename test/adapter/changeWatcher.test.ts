// The hot reload watcher on real files: changes are reported as absolute paths, dependency and state folders are ignored.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, it } from 'node:test';
import { ChangeWatcher } from '../../src/core/watch/changeWatcher';

let dir: string;
let watcher: ChangeWatcher;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lwb-watch-test-'));
  mkdirSync(path.join(dir, 'node_modules', 'dep'), { recursive: true });
  mkdirSync(path.join(dir, 'state'));
  writeFileSync(path.join(dir, 'app.ts'), 'export const a = 1;\n');
  watcher = await ChangeWatcher.start([dir], { ignoredPaths: [path.join(dir, 'state')] });
});

after(async () => {
  await watcher.dispose();
  rmSync(dir, { recursive: true, force: true });
});

it('reports edited and added files, never files in node_modules or ignored paths', async () => {
  const seen = new Set<string>();
  const wanted = [path.join(dir, 'app.ts'), path.join(dir, 'util.ts')];
  const allSeen = new Promise<void>((resolve) => {
    watcher.onDidChange((batch) => {
      batch.forEach((file) => seen.add(file));
      if (wanted.every((file) => seen.has(file))) resolve();
    });
  });
  // Ignored writes first: if they were reported, they would arrive in the same or an earlier batch.
  writeFileSync(path.join(dir, 'node_modules', 'dep', 'index.js'), 'module.exports = 1;\n');
  writeFileSync(path.join(dir, 'state', 'out.js'), 'built\n');
  writeFileSync(wanted[0], 'export const a = 2;\n');
  writeFileSync(wanted[1], 'export const b = 1;\n');
  await allSeen;
  assert.deepEqual([...seen].sort(), [...wanted].sort());
});
