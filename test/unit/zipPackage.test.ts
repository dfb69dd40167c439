// Unit tests (plain node) for the deployment-package zip writer, checked with the system's unzip and read back with yauzl.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { text } from 'node:stream/consumers';
import { after, before, test } from 'node:test';
import * as yauzl from 'yauzl';
import { isWorkbenchError } from '../../src/core/common/errors';
import { zipDirectory } from '../../src/core/build/zipPackage';

let work: string;

before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'lwb-zip-'));
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

test('zips nested files that unzip verifies, with contents and Unix modes intact', async () => {
  const src = path.join(work, 'code');
  await mkdir(path.join(src, 'lib', 'deep'), { recursive: true });
  const big = 'compressible line\n'.repeat(2000);
  await writeFile(path.join(src, 'index.js'), 'exports.handler = async () => "ok";\n');
  await writeFile(path.join(src, 'lib', 'deep', 'big.txt'), big);
  await writeFile(path.join(src, 'lib', 'empty.txt'), '');
  await writeFile(path.join(src, 'bootstrap'), '#!/bin/sh\necho hi\n');
  await chmod(path.join(src, 'bootstrap'), 0o755);

  const result = await zipDirectory(src, path.join(work, 'out', 'function.zip'));
  assert.equal(result.fileCount, 4);

  execFileSync('unzip', ['-tq', result.zipPath]);
  assert.equal(execFileSync('unzip', ['-p', result.zipPath, 'lib/deep/big.txt']).toString(), big);
  assert.equal(execFileSync('unzip', ['-p', result.zipPath, 'index.js']).toString(), 'exports.handler = async () => "ok";\n');
  const listing = execFileSync('zipinfo', [result.zipPath]).toString();
  assert.match(listing, /-rwxr-xr-x .* bootstrap/);
  assert.match(listing, /defN .* lib\/deep\/big\.txt/);
  assert.ok(result.sizeBytes < big.length, 'the repetitive file is deflated');
});

/** Every entry of a zip as yauzl reads it: name -> Unix mode and contents. */
function readZip(zipPath: string): Promise<Map<string, { mode: number; content: string }>> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const entries = new Map<string, { mode: number; content: string }>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          text(stream).then((content) => {
            entries.set(entry.fileName, { mode: (entry.externalFileAttributes >>> 16) & 0o7777, content });
            zip.readEntry();
          }, reject);
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

test('reads back with yauzl: sorted names with / separators, Unix modes and exact contents', async () => {
  const src = path.join(work, 'readback');
  await mkdir(path.join(src, 'node_modules', 'dep'), { recursive: true });
  await writeFile(path.join(src, 'app.mjs'), 'export const handler = async () => "ü";\n');
  await writeFile(path.join(src, 'node_modules', 'dep', 'index.js'), 'module.exports = 1;\n');
  await writeFile(path.join(src, 'bootstrap'), '#!/bin/sh\n');
  await chmod(path.join(src, 'bootstrap'), 0o755);

  const result = await zipDirectory(src, path.join(work, 'readback.zip'));
  const entries = await readZip(result.zipPath);
  assert.deepEqual([...entries.keys()], ['app.mjs', 'bootstrap', 'node_modules/dep/index.js']);
  assert.equal(entries.get('app.mjs')?.content, 'export const handler = async () => "ü";\n');
  assert.equal(entries.get('bootstrap')?.mode, 0o755);
  assert.equal(entries.get('node_modules/dep/index.js')?.mode, 0o644);
});

test('an empty code directory is a BUILD_FAILED error that says what to do', async () => {
  const empty = path.join(work, 'empty');
  await mkdir(empty);
  await assert.rejects(zipDirectory(empty, path.join(work, 'empty.zip')), (e: unknown) => {
    assert.ok(isWorkbenchError(e, 'BUILD_FAILED'));
    assert.match(e.describe(), /Nothing to package.*Build the function first/);
    return true;
  });
});

test('a missing code directory is a BUILD_FAILED error', async () => {
  await assert.rejects(zipDirectory(path.join(work, 'missing'), path.join(work, 'm.zip')), (e: unknown) => isWorkbenchError(e, 'BUILD_FAILED'));
});
