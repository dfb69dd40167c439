// Loads a bundle (dist/extensionMain.js, dist/cliMain.js) through V8's code cache kept in a private directory of the user.
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

/** Changes when the file layout below changes: a cache written by another layout is rebuilt. */
const FORMAT = 'lambda-workbench code cache 1';
/** The CommonJS wrapper Node gives a module: the bundle runs as if `require`d. */
const WRAPPER = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'] as const;
/** How long after loading the cache is written: what the first run compiled lazily (activation, a first invocation) goes in it. */
const SAVE_DELAY_MS = 1_000;

export interface BundleLoad {
  /** The bundle, e.g. <dist>/cliMain.js. */
  file: string;
  /** The private directory holding the cache (created with mode 0700 when the cache is first written). */
  cacheDir: string;
  /** The cache's file name without extension. */
  cacheName: string;
  /**
   * V8 flags the bundle changes while it runs (v8.setFlagsFromString), each with its value when the bundle loads:
   * V8 rejects a cache made under other flags than the loading process's, so they are put back while it is made.
   */
  flagsSetByBundle: ReadonlyArray<{ atLoad: string; set: string }>;
  /**
   * How the bundle requires its chunks, e.g. './vendor/' for dist/vendor/<name>.js (esbuild.mjs `vendorChunks`): each
   * chunk it requires is loaded the same way, with a cache of its own named `<cacheName>.<chunk>`.
   */
  chunkPrefix?: string;
}

/** The CLI's cache directory: $LAMBDA_WORKBENCH_CODE_CACHE, else $XDG_CACHE_HOME/lambda-workbench/code-cache (~/.cache/...). */
export function userCodeCacheDir(): string {
  return process.env.LAMBDA_WORKBENCH_CODE_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'lambda-workbench', 'code-cache');
}

/**
 * Runs the bundle as a CommonJS module and returns its exports. Compiling 1.5 MB of JavaScript is most of what loading
 * it costs; V8 can skip that with the code cache of an earlier run. The cache is used only when its header names this
 * version of the bundle's file and this Node.js (V8's own check compares lengths only; it rejects other flags itself)
 * and its payload is intact (V8 does not verify it and aborts the process on a corrupt one). When there is none usable,
 * it is written SAVE_DELAY_MS later, or at exit if the process ends first. Any failure of the cache, reading or
 * writing, is silent: the bundle is then compiled as `require` would compile it. The chunks the bundle requires
 * (`chunkPrefix`) are loaded the same way, each with its cache: a vendor library's functions that ran in the first run
 * (yaml's parser for the template) are then neither compiled nor parsed again.
 */
export function loadBundle<T>(load: BundleLoad): T {
  const chunks = new Map<string, unknown>();
  const fileRequire = createRequire(load.file);
  const prefix = load.chunkPrefix;
  const bundleRequire = prefix === undefined ? fileRequire : Object.assign((id: string): unknown => {
    if (!id.startsWith(prefix)) return fileRequire(id);
    // A chunk is one module, as `require` would make it: loaded once, then the same exports for every later require.
    const file = fileRequire.resolve(id);
    if (!chunks.has(file)) chunks.set(file, runCached(file, `${load.cacheName}.${path.basename(file, '.js')}`, load, createRequire(file)));
    return chunks.get(file);
  }, fileRequire);
  return runCached(load.file, load.cacheName, load, bundleRequire) as T;
}

/** Runs `file` as a CommonJS module whose `require` is `moduleRequire`, through the cache `<cacheName>.v8cache`; returns its exports. */
function runCached(file: string, cacheName: string, load: BundleLoad, moduleRequire: NodeJS.Require): unknown {
  const { source, version } = readBundle(file);
  const wrapped = WRAPPER[0] + source + WRAPPER[1];
  const cacheFile = path.join(load.cacheDir, `${cacheName}.v8cache`);
  const key = sha256(`${FORMAT}\n${process.version}\n${process.versions.v8}\n${process.arch}\n${file}\n${version}`);
  const cachedData = readCache(cacheFile, key);
  const script = new Script(wrapped, { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) scheduleSave(script, cacheFile, key, load.flagsSetByBundle);

  const bundleModule = new Module(file);
  bundleModule.filename = file;
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  run.call(bundleModule.exports, bundleModule.exports, moduleRequire, bundleModule, file, path.dirname(file));
  bundleModule.loaded = true;
  return bundleModule.exports;
}

/**
 * The bundle's text and what identifies this version of the file: any write changes its mtime and ctime (which no
 * call can set back), a replacement its inode. Read as Latin-1, which is exact and three times faster than UTF-8 for
 * these bundles: esbuild.mjs writes them in ASCII (`asciiOutput`).
 */
function readBundle(file: string): { source: string; version: string } {
  const fd = openSync(file, 'r');
  try {
    const stat = fstatSync(fd, { bigint: true });
    return { source: readFileSync(fd, 'latin1'), version: `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}` };
  } finally {
    closeSync(fd);
  }
}

function cachedDataUnderLoadFlags(script: Script, flagsSetByBundle: BundleLoad['flagsSetByBundle']): Buffer {
  for (const flag of flagsSetByBundle) setFlagsFromString(flag.atLoad);
  try {
    return script.createCachedData();
  } finally {
    for (const flag of flagsSetByBundle) setFlagsFromString(flag.set);
  }
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** File layout: `<FORMAT>\n<key>\n<sha256 of the payload>\n<payload>`. */
function header(key: string, payload: Buffer): Buffer {
  return Buffer.from(`${FORMAT}\n${key}\n${sha256(payload)}\n`, 'latin1');
}

/** The payload of a cache written for `key` and intact, else undefined (none, unreadable, stale, corrupt, not private). */
function readCache(file: string, key: string): Buffer | undefined {
  try {
    if (!isPrivateDirectory(path.dirname(file))) return undefined;
    const data = readFileSync(file);
    const expected = `${FORMAT}\n${key}\n`;
    if (data.toString('latin1', 0, expected.length) !== expected) return undefined;
    const payloadStart = expected.length + 65; // the payload's sha256 in hex and its newline
    const payload = data.subarray(payloadStart);
    return data.toString('latin1', expected.length, payloadStart - 1) === sha256(payload) ? payload : undefined;
  } catch {
    return undefined;
  }
}

/** The directory exists, is not a link, and only this user can write into it (on POSIX systems: owned, mode 0700). */
function isPrivateDirectory(dir: string): boolean {
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) return false;
  if (process.getuid === undefined) return true;
  return stat.uid === process.getuid() && (stat.mode & 0o077) === 0;
}

function makePrivateDirectory(dir: string): boolean {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  // A directory of ours made before with a wider mode is narrowed; another user's is never used.
  if (stat.isDirectory() && process.getuid !== undefined && stat.uid === process.getuid() && (stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return isPrivateDirectory(dir);
}

function scheduleSave(script: Script, file: string, key: string, flagsSetByBundle: BundleLoad['flagsSetByBundle']): void {
  const save = () => {
    clearTimeout(timer);
    process.removeListener('exit', save);
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      if (!makePrivateDirectory(path.dirname(file))) return;
      const payload = cachedDataUnderLoadFlags(script, flagsSetByBundle);
      writeFileSync(temporary, Buffer.concat([header(key, payload), payload]), { mode: 0o600 });
      renameSync(temporary, file);
    } catch {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // nothing more to do: the next start compiles without a cache and tries again
      }
    }
  };
  const timer = setTimeout(save, SAVE_DELAY_MS);
  timer.unref();
  process.once('exit', save);
}
