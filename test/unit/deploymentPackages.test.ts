// Zip deployment packages: a .zip CodeUri runs from a cache keyed by its SHA-256 (extracted once, modes kept), a broken zip is
// a Failed function (409), and `lambda-workbench package` writes the zip Lambda would receive with its size against the limits.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkPackageLimits, PACKAGE_LIMITS } from '../../src/core/build/packageLimits';
import { zipDirectory } from '../../src/core/build/zipPackage';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import { findBubblewrap } from '../../src/core/instances/process/sandbox';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import { ServiceError } from '../../src/core/service/invocation';
import { LambdaService } from '../../src/core/service/lambdaService';

const CLI = resolve(__dirname, '../../../dist/cli.js');

const HANDLER = `
const fs = require('node:fs');
exports.handler = async () => ({
  cwd: process.cwd(),
  toolMode: (fs.statSync('bin/tool.sh').mode & 0o777).toString(8),
  tool: require('node:child_process').execFileSync('./bin/tool.sh').toString().trim(),
});
`;

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Resources:
  ZipFunction:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, Handler: index.handler, CodeUri: fn.zip }
  BrokenZipFunction:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, Handler: index.handler, CodeUri: broken.zip }
  FolderFunction:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, Handler: index.handler, CodeUri: src/ }
`;

describe('zip deployment packages', () => {
  let dir: string;
  let zipHash: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-zip-'));
    const src = join(dir, 'src');
    mkdirSync(join(src, 'bin'), { recursive: true });
    writeFileSync(join(src, 'index.js'), HANDLER);
    writeFileSync(join(src, 'bin', 'tool.sh'), '#!/bin/sh\necho tool ran\n');
    chmodSync(join(src, 'bin', 'tool.sh'), 0o755);
    await zipDirectory(src, join(dir, 'fn.zip'));
    zipHash = createHash('sha256').update(readFileSync(join(dir, 'fn.zip'))).digest('hex');
    writeFileSync(join(dir, 'broken.zip'), 'this is not a zip file');
    writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const withService = async <T>(body: (service: LambdaService) => Promise<T>): Promise<T> => {
    const registry = await FunctionRegistry.fromTemplates([join(dir, 'template.yaml')]);
    const service = new LambdaService(registry, { backend: new ProcessBackend(), stateDir: join(dir, '.lambda-workbench') });
    try {
      return await body(service);
    } finally {
      await service.dispose();
    }
  };

  it('runs a .zip CodeUri from its extracted copy, keyed by the zip hash, with file modes kept', { timeout: 60_000 }, async () => {
    const cacheDir = join(dir, '.lambda-workbench', 'unzipped', zipHash);
    const first = await withService(async (service) => JSON.parse((await service.invoke({ functionName: 'ZipFunction', payload: Buffer.from('{}') })).payload.toString()));
    // Sandboxed (bubblewrap), the extracted copy is mounted at /var/task; otherwise the code runs from it.
    assert.deepEqual(first, { cwd: findBubblewrap() ? '/var/task' : cacheDir, toolMode: '755', tool: 'tool ran' });
    assert.ok(statSync(join(cacheDir, 'index.js')).isFile());
    // Extracted once: a second service finds the same folder and does not write it again.
    const marker = join(cacheDir, 'written-by-test');
    writeFileSync(marker, '');
    const extractedAt = statSync(join(cacheDir, 'index.js')).mtimeMs;
    const second = await withService(async (service) => JSON.parse((await service.invoke({ functionName: 'ZipFunction', payload: Buffer.from('{}') })).payload.toString()));
    assert.equal(second.cwd, first.cwd);
    assert.equal(statSync(join(cacheDir, 'index.js')).mtimeMs, extractedAt);
    assert.ok(statSync(marker).isFile());
  });

  it('answers a function whose zip is broken with 409 InvalidZipFileException, not an internal error', { timeout: 60_000 }, async () => {
    await withService(async (service) => {
      await assert.rejects(service.invoke({ functionName: 'BrokenZipFunction', payload: Buffer.from('{}') }), (e: unknown) => {
        assert.ok(e instanceof ServiceError, String(e));
        assert.equal(e.httpStatus, 409);
        assert.equal(e.extra.StateReasonCode, 'InvalidZipFileException');
        assert.match(e.message, /Could not unzip .*broken\.zip/);
        return true;
      });
    });
  });

  it('`package` writes the zip of a folder function with its modes, prints its path and the limits', () => {
    const output = join(dir, 'out', 'folder.zip');
    const run = spawnSync(process.execPath, [CLI, 'package', 'FolderFunction', '--output', output], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines[0], output);
    assert.equal(lines[1], '2 files');
    assert.match(lines[2]!, /^Zipped package: \d+ B of 50\.0 MB \(0\.0%, for direct upload; larger packages go through S3\): ok$/);
    assert.match(lines[3]!, /^Unzipped code and layers: \d+ B of 250\.0 MB \(0\.0%, the hard limit\): ok$/);
    assert.equal(lines.length, 4, 'no largest files and folders far from the limits');
    const listing = execFileSync('unzip', ['-Z', output]).toString();
    assert.match(listing, /^-rwxr-xr-x .* bin\/tool\.sh$/m);
    assert.match(listing, /^-rw-r--r-- .* index\.js$/m);
  });

  it('`package` of a .zip CodeUri writes that zip as it is', () => {
    const output = join(dir, 'out', 'zip.zip');
    const run = spawnSync(process.execPath, [CLI, 'package', 'ZipFunction', '--output', output], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(readFileSync(output).equals(readFileSync(join(dir, 'fn.zip'))));
  });

  it('lists the largest files and folders when the unzipped size is over 250 MB', async () => {
    const big = join(dir, 'big');
    mkdirSync(join(big, 'node_modules', 'huge'), { recursive: true });
    // Sparse files: their size counts, no disk is used.
    const sparse = (file: string, bytes: number) => {
      writeFileSync(file, '');
      truncateSync(file, bytes);
    };
    sparse(join(big, 'node_modules', 'huge', 'blob.bin'), PACKAGE_LIMITS.unzippedWithLayersBytes);
    writeFileSync(join(big, 'index.js'), HANDLER);
    const layer = join(dir, 'layer');
    mkdirSync(join(layer, 'lib'), { recursive: true });
    sparse(join(layer, 'lib', 'libbig.so'), 10 * 1024 * 1024);
    const check = await checkPackageLimits(1000, [{ dir: big, mountPoint: '/var/task' }, { dir: layer, mountPoint: '/opt' }]);
    assert.equal(check.exceeded, true);
    assert.match(check.lines[1]!, /^Unzipped code and layers: 260\.0 MB of 250\.0 MB \(104\.0%, the hard limit\): EXCEEDED$/);
    const report = check.lines.slice(2).join('\n');
    assert.match(report, /^Largest folders:\n {3}250\.0 MB {2}\/var\/task\/node_modules\/\n {3}250\.0 MB {2}\/var\/task\/node_modules\/huge\/\n {4}10\.0 MB {2}\/opt\/lib\/$/m);
    assert.match(report, /^Largest files:\n {3}250\.0 MB {2}\/var\/task\/node_modules\/huge\/blob\.bin\n {4}10\.0 MB {2}\/opt\/lib\/libbig\.so$/m);
  });
});
