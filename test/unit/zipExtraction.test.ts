// Unit tests (plain node) for the one zip extractor: a .zip CodeUri (a file) and an uploaded ZipFile (bytes) extract alike.
import assert from 'node:assert/strict';
import { lstat, mkdtemp, readFile, readlink, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ZipFile } from 'yazl';
import { extractZip } from '../../src/core/build/zipExtraction';
import { extractUploadedZip } from '../../src/core/functions/codePackage';
import { ServiceError } from '../../src/core/service/invocation';

const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

/** A zip made with yazl (entries as a Unix zip tool writes them): name -> content and mode. */
function zipOf(entries: Array<{ name: string; content: string; mode: number }>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const entry of entries) zip.addBuffer(Buffer.from(entry.content), entry.name, { mode: entry.mode });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
}

/** Every path below `dir` with its kind, permission bits and content (a link's target). */
async function treeOf(dir: string): Promise<string[]> {
  const names = (await readdir(dir, { recursive: true })).sort();
  return Promise.all(names.map(async (name) => {
    const at = path.join(dir, name);
    const info = await lstat(at);
    if (info.isSymbolicLink()) return `${name} -> ${await readlink(at)}`;
    if (info.isDirectory()) return `${name}/`;
    return `${name} ${(info.mode & 0o777).toString(8)} ${await readFile(at, 'utf8')}`;
  }));
}

describe('zip extraction', () => {
  let work: string;
  let zip: Buffer;

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'lwb-unzip-'));
    zip = await zipOf([
      { name: 'bootstrap', content: '#!/bin/sh\necho hi\n', mode: S_IFREG | 0o755 },
      { name: 'lib/data.txt', content: 'data', mode: S_IFREG | 0o644 },
      { name: 'current', content: 'lib/data.txt', mode: S_IFLNK | 0o777 },
    ]);
  });

  after(() => rm(work, { recursive: true, force: true }));

  it('extracts a zip file and the same zip as bytes to the same tree: modes kept, links made as links', async () => {
    const file = path.join(work, 'code.zip');
    await writeFile(file, zip);
    await extractZip(file, path.join(work, 'from-file'));
    await extractZip(zip, path.join(work, 'from-bytes'));
    const expected = ['bootstrap 755 #!/bin/sh\necho hi\n', 'current -> lib/data.txt', 'lib/', 'lib/data.txt 644 data'];
    assert.deepEqual(await treeOf(path.join(work, 'from-file')), expected);
    assert.deepEqual(await treeOf(path.join(work, 'from-bytes')), expected);
  });

  it('answers an uploaded zip that does not extract with Lambda\'s InvalidParameterValueException', async () => {
    const target = path.join(work, 'broken');
    await assert.rejects(extractUploadedZip(Buffer.from('not a zip'), target), (error: unknown) => {
      assert.ok(error instanceof ServiceError);
      assert.equal(error.code, 'InvalidParameterValueException');
      assert.equal(error.message, 'Could not unzip uploaded file. Please check your file, then try to upload again.');
      return true;
    });
  });

  it('refuses an entry that would land outside the folder, writing nothing there', async () => {
    // The same length as "xx/", so the zip stays well formed with the name changed in both of its headers.
    const escaping = Buffer.from((await zipOf([{ name: 'xx/escaped.txt', content: 'out', mode: S_IFREG | 0o644 }])).toString('latin1').replaceAll('xx/escaped', '../escaped'), 'latin1');
    const target = path.join(work, 'inside', 'code');
    await assert.rejects(extractUploadedZip(escaping, target), (error: unknown) => error instanceof ServiceError && error.code === 'InvalidParameterValueException');
    await assert.rejects(stat(path.join(work, 'inside', 'escaped.txt')), { code: 'ENOENT' });
  });
});
