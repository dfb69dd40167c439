// V8's code cache of a bundle, in real node processes: written, used by the next one, rebuilt for a changed bundle, ignored when unsafe.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

const LOADER = path.resolve(__dirname, '../../src/core/common/bundleCodeCache.js');
const CLI = path.resolve(__dirname, '../../../dist/cli.js');

/**
 * A bundle large enough to be worth a cache; `answer` is what a stale cache would get wrong. It calls each of its 300
 * helpers, so that its cache holds them all: tens of kilobytes, larger than the cache of any of Node.js's built-in
 * modules, whose sizes are in the same list (a cache of 1.7 KB once matched one of theirs, and the test saw it "used").
 */
function bundleSource(answer: number, setsFlag = false): string {
  const helpers = Array.from({ length: 300 }, (_, i) => `function helper${i}(x) { return x.map((v) => v * ${i} + 1).filter((v) => v % 3 !== 0).length; }`);
  return [
    '"use strict";',
    setsFlag ? "require('node:v8').setFlagsFromString('--semi-space-growth-factor=1');" : '',
    ...helpers,
    `module.exports = { answer: () => ${answer} + ${helpers.map((_, i) => `helper${i}([])`).join(' + ')}, file: require('node:path').basename(__filename) };`,
    '',
  ].join('\n');
}

/** A bundle requiring its chunk dist/vendor/chunk.js twice, as esbuild.mjs's vendor chunks are required. */
const CHUNKED_BUNDLE = `"use strict";
const first = require('./vendor/chunk.js');
const second = require('./vendor/chunk.js');
module.exports = { answer: () => first.answer() + ' ' + (first === second ? 'once' : 'twice') + ' ' + first.where, file: require('node:path').basename(__filename) };
`;

/** The chunk: `answer` is what a stale cache would get wrong; it requires a file beside it, as a chunk's native bindings are. */
function chunkSource(answer: number): string {
  const helpers = Array.from({ length: 300 }, (_, i) => `function chunkHelper${i}(x) { return x.map((v) => v * ${i} + 2).filter((v) => v % 5 !== 0).length; }`);
  return ['"use strict";', ...helpers,
    `module.exports = { answer: () => ${answer} + ${helpers.map((_, i) => `chunkHelper${i}([])`).join(' + ')}, where: require('./beside.js') + ':' + require('node:path').basename(__dirname) };`, ''].join('\n');
}

/** Loads the bundle in a new node process (with V8 printing what it deserializes); `hold` keeps it alive 1.5 s, then SIGKILL. */
const DRIVER = `
const [file, cacheDir, flags, hold] = process.argv.slice(1);
const exports = require(${JSON.stringify(LOADER)}).loadBundle({ file, cacheDir, cacheName: 'bundle', flagsSetByBundle: JSON.parse(flags), chunkPrefix: './vendor/' });
console.log('ANSWER ' + exports.answer() + ' ' + exports.file);
if (hold === 'hold') setTimeout(() => process.kill(process.pid, 'SIGKILL'), 1500);
`;

interface Run {
  answer: string;
  /** Sizes of the code caches V8 deserialized (Node's own built-in modules' among them). */
  deserialized: number[];
  status: number | null;
}

function deserializedSizes(stdout: string): number[] {
  return [...stdout.matchAll(/^\[Deserializing from (\d+) bytes/gm)].map((match) => Number(match[1]));
}

function load(dir: string, options: { flags?: object[]; hold?: boolean } = {}): Run {
  const result = spawnSync(process.execPath, ['--profile-deserialization', '-e', DRIVER, path.join(dir, 'bundle.js'), path.join(dir, 'cache'),
    JSON.stringify(options.flags ?? []), options.hold ? 'hold' : ''], { encoding: 'utf8' });
  return { answer: /^ANSWER (.*)$/m.exec(result.stdout)?.[1] ?? `none (stderr: ${result.stderr})`, deserialized: deserializedSizes(result.stdout), status: result.status };
}

const cacheFile = (dir: string) => path.join(dir, 'cache', 'bundle.v8cache');
const chunkCacheFile = (dir: string) => path.join(dir, 'cache', 'bundle.chunk.v8cache');

/** The size of the V8 data in a cache file: what follows its three header lines. */
function payloadSize(file: string): number {
  const data = readFileSync(file);
  let start = 0;
  for (let line = 0; line < 3; line++) start = data.indexOf(10, start) + 1;
  return data.length - start;
}

const identity = (file: string) => `${statSync(file).ino}:${statSync(file).mtimeMs}`;

describe('bundle code cache', () => {
  let root: string;
  let count = 0;
  /** A fresh directory holding bundle.js (answer 42) and no cache. */
  const fixture = (setsFlag = false) => {
    const dir = path.join(root, `case-${++count}`);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'bundle.js'), bundleSource(42, setsFlag));
    return dir;
  };

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'lwb-code-cache-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('is written at exit in a private directory, then used by the next process', () => {
    const dir = fixture();
    const first = load(dir);
    assert.equal(first.answer, '42 bundle.js');
    assert.equal(existsSync(cacheFile(dir)), true);
    if (process.platform !== 'win32') {
      assert.equal(statSync(path.join(dir, 'cache')).mode & 0o777, 0o700);
      assert.equal(statSync(cacheFile(dir)).mode & 0o777, 0o600);
    }
    const written = identity(cacheFile(dir));
    const second = load(dir);
    assert.equal(second.answer, '42 bundle.js');
    assert.ok(second.deserialized.includes(payloadSize(cacheFile(dir))), `V8 did not deserialize the cache (${second.deserialized.join(', ')})`);
    assert.equal(identity(cacheFile(dir)), written, 'a used cache is not written again');
  });

  it('is written one second after loading in a process that keeps running', () => {
    const dir = fixture();
    const run = load(dir, { hold: true });
    assert.equal(run.answer, '42 bundle.js');
    assert.equal(run.status, null, 'the process was killed, so no exit handler ran');
    assert.equal(existsSync(cacheFile(dir)), true);
    assert.ok(load(dir).deserialized.includes(payloadSize(cacheFile(dir))));
  });

  it('is not used for a changed bundle of the same length (V8 checks only the length), and is rebuilt for it', () => {
    const dir = fixture();
    load(dir);
    const stale = payloadSize(cacheFile(dir));
    const written = identity(cacheFile(dir));
    writeFileSync(path.join(dir, 'bundle.js'), bundleSource(43));
    const changed = load(dir);
    assert.equal(changed.answer, '43 bundle.js');
    assert.notEqual(identity(cacheFile(dir)), written, 'the cache was not rebuilt');
    const next = load(dir);
    assert.equal(next.answer, '43 bundle.js');
    assert.ok(next.deserialized.includes(payloadSize(cacheFile(dir))), `the rebuilt cache was not used (stale payload ${stale} bytes)`);
  });

  it('is not used when its payload is corrupt (V8 would abort the process), and is rebuilt', () => {
    const dir = fixture();
    load(dir);
    const data = readFileSync(cacheFile(dir));
    for (let i = data.length - payloadSize(cacheFile(dir)) + 64; i < data.length; i += 97) data[i] ^= 0x5a;
    writeFileSync(cacheFile(dir), data);
    const corrupt = load(dir);
    assert.equal(corrupt.status, 0);
    assert.equal(corrupt.answer, '42 bundle.js');
    assert.ok(load(dir).deserialized.includes(payloadSize(cacheFile(dir))), 'the rebuilt cache was not used');
  });

  it('is not used when it cannot be read, and the bundle still loads', () => {
    const dir = fixture();
    mkdirSync(cacheFile(dir), { recursive: true }); // a directory where the file should be: reading and replacing it fail
    const unreadable = load(dir);
    assert.equal(unreadable.status, 0);
    assert.equal(unreadable.answer, '42 bundle.js');
    rmSync(cacheFile(dir), { recursive: true });
    load(dir);
    assert.ok(load(dir).deserialized.includes(payloadSize(cacheFile(dir))));
  });

  it('is not used from a directory other users can write into; its mode is narrowed when it is rebuilt', { skip: process.platform === 'win32' ? 'POSIX modes' : false }, () => {
    const dir = fixture();
    load(dir);
    chmodSync(path.join(dir, 'cache'), 0o777);
    const open = load(dir);
    assert.equal(open.answer, '42 bundle.js');
    assert.equal(open.deserialized.includes(payloadSize(cacheFile(dir))), false, 'a cache in a world-writable directory was used');
    assert.equal(statSync(path.join(dir, 'cache')).mode & 0o777, 0o700);
    assert.ok(load(dir).deserialized.includes(payloadSize(cacheFile(dir))));
  });

  it('made after the bundle changed a V8 flag, is used when the flag is put back while it is made', () => {
    const dir = fixture(true);
    const flags = [{ atLoad: '--semi-space-growth-factor=2', set: '--semi-space-growth-factor=1' }];
    load(dir, { flags });
    assert.ok(load(dir, { flags }).deserialized.includes(payloadSize(cacheFile(dir))), 'V8 rejected the cache');
    // Without putting the flag back, V8 rejects the cache the next process loads with: the reason for flagsSetByBundle.
    const control = fixture(true);
    load(control);
    assert.equal(load(control).deserialized.includes(payloadSize(cacheFile(control))), false);
  });

  it('loads the chunks the bundle requires once each, through caches of their own, rebuilt when a chunk changes', () => {
    const dir = fixture();
    writeFileSync(path.join(dir, 'bundle.js'), CHUNKED_BUNDLE);
    mkdirSync(path.join(dir, 'vendor'));
    writeFileSync(path.join(dir, 'vendor', 'chunk.js'), chunkSource(7));
    writeFileSync(path.join(dir, 'vendor', 'beside.js'), "module.exports = 'beside';");
    const first = load(dir);
    assert.equal(first.answer, '7 once beside:vendor bundle.js');
    assert.equal(existsSync(chunkCacheFile(dir)), true, 'no cache for the chunk');
    const second = load(dir);
    assert.equal(second.answer, '7 once beside:vendor bundle.js');
    assert.ok(second.deserialized.includes(payloadSize(chunkCacheFile(dir))), `V8 did not deserialize the chunk's cache (${second.deserialized.join(', ')})`);
    assert.ok(second.deserialized.includes(payloadSize(cacheFile(dir))), "V8 did not deserialize the bundle's cache");
    // A chunk changed to the same length: its stale cache is not used (the bundle's still is), and is rebuilt.
    const written = identity(chunkCacheFile(dir));
    writeFileSync(path.join(dir, 'vendor', 'chunk.js'), chunkSource(8));
    const changed = load(dir);
    assert.equal(changed.answer, '8 once beside:vendor bundle.js');
    assert.notEqual(identity(chunkCacheFile(dir)), written, "the chunk's cache was not rebuilt");
    assert.ok(load(dir).deserialized.includes(payloadSize(chunkCacheFile(dir))), "the chunk's rebuilt cache was not used");
  });

  it('the CLI (dist/cli.js) keeps one cache for `start` and one for the other commands, each used by the next run', { skip: existsSync(CLI) ? false : 'run node esbuild.mjs first' }, () => {
    const cacheHome = path.join(root, 'xdg');
    const { LAMBDA_WORKBENCH_CODE_CACHE: _testRunCache, ...environment } = process.env;
    const cli = (args: string[], env: NodeJS.ProcessEnv = { ...environment, XDG_CACHE_HOME: cacheHome }) =>
      spawnSync(process.execPath, ['--profile-deserialization', CLI, ...args], { encoding: 'utf8', env });
    const cacheOf = (name: string) => path.join(cacheHome, 'lambda-workbench', 'code-cache', `${name}.v8cache`);
    assert.equal(cli(['--help']).status, 0);
    assert.ok(deserializedSizes(cli(['--help']).stdout).includes(payloadSize(cacheOf('cliMain'))));
    // `start` sets its V8 flag, then stops on the invalid port: its cache is made at exit, under the flags of a load.
    assert.equal(cli(['start', '--port', 'none']).status, 2);
    const again = cli(['start', '--port', 'none']);
    assert.match(again.stderr, /--port must be a number/);
    assert.ok(deserializedSizes(again.stdout).includes(payloadSize(cacheOf('cliMain-start'))), 'the cache of `start` was not used');
    // Reading a template loads the yaml vendor chunk (dist/vendor/yaml.js): through a cache of its own, used by the next run.
    const template = path.join(root, 'template.yaml');
    writeFileSync(template, "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: { CodeUri: ., Handler: h.handler, Runtime: nodejs20.x }\n");
    assert.equal(cli(['validate', '--template', template]).status, 0);
    const validated = cli(['validate', '--template', template]);
    assert.equal(validated.status, 0, validated.stderr);
    assert.ok(deserializedSizes(validated.stdout).includes(payloadSize(cacheOf('cliMain.yaml'))), "the yaml chunk's cache was not used");
    // LAMBDA_WORKBENCH_CODE_CACHE names the directory itself, before XDG_CACHE_HOME (scripts/test.sh gives each run its own).
    const named = path.join(root, 'named-cache');
    assert.equal(cli(['--help'], { ...environment, XDG_CACHE_HOME: cacheHome, LAMBDA_WORKBENCH_CODE_CACHE: named }).status, 0);
    assert.ok(existsSync(path.join(named, 'cliMain.v8cache')), 'no cache in the directory LAMBDA_WORKBENCH_CODE_CACHE names');
  });
});
