// The .vsix carries our own esbuild: packaged with vsce, unzipped as VS Code installs extensions, the installed layout builds
// a TypeScript function whose project has no esbuild, or one too old (issue 16: "else ours with a one-line notice").
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { createWriteStream, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { openPromise } from 'yauzl';
import { locateEsbuild } from '../../src/core/build/esbuildLocator';

const REPO = path.resolve(__dirname, '../../..');
const VSCE = path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
const run = promisify(execFile);

/** Unzips the .vsix's `extension/` folder into `into` as VS Code's installer does: each file with the zip entry's mode. */
async function installVsix(vsix: string, into: string): Promise<void> {
  const zip = await openPromise(vsix, { lazyEntries: true });
  try {
    for await (const entry of zip.eachEntry()) {
      if (!entry.fileName.startsWith('extension/') || entry.fileName.endsWith('/')) continue;
      const at = path.join(into, entry.fileName.slice('extension/'.length));
      await mkdir(path.dirname(at), { recursive: true });
      await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(at));
      // VS Code: the Unix mode in the high half of the external attributes, else rw-r--r--.
      await chmod(at, (entry.externalFileAttributes >>> 16 || 0o100644) & 0o777);
    }
  } finally {
    zip.close();
  }
}

/** Builds app.ts of `codeDir` with the esbuild found for it and runs the bundle's handler in a Node process. */
async function buildAndRun(codeDir: string, ownDir: string): Promise<{ located: ReturnType<typeof locateEsbuild>; response: unknown }> {
  const located = locateEsbuild([codeDir], ownDir);
  const outfile = path.join(codeDir, 'out', 'app.js');
  await located.api.build({ entryPoints: [path.join(codeDir, 'app.ts')], bundle: true, platform: 'node', format: 'cjs', outfile });
  const script = `require(${JSON.stringify(outfile)}).handler({ name: 'packaged' }).then((r) => process.stdout.write(JSON.stringify(r)))`;
  const { stdout } = await run(process.execPath, ['-e', script]);
  return { located, response: JSON.parse(stdout) as unknown };
}

describe('the packaged extension builds TypeScript functions with its own esbuild', () => {
  let work: string;
  let extensionDist: string;

  before(async () => {
    work = realpathSync(mkdtempSync(path.join(tmpdir(), 'lwb-packaged-esbuild-')));
    const vsix = path.join(work, 'lambda-workbench.vsix');
    // What `npm run package` packages, from the build this run made.
    await run(process.execPath, [VSCE, 'package', '--no-dependencies', '-o', vsix], { cwd: REPO, maxBuffer: 16 * 1024 * 1024 });
    const installed = path.join(work, 'extensions', 'lambda-workbench');
    await installVsix(vsix, installed);
    extensionDist = path.join(installed, 'dist');
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  function project(name: string): string {
    const codeDir = path.join(work, 'projects', name, 'src');
    mkdirSync(codeDir, { recursive: true });
    writeFileSync(path.join(codeDir, 'app.ts'), 'export const handler = async (event: { name: string }): Promise<string> => `Hello, ${event.name}!`;\n');
    return codeDir;
  }

  it('a project without esbuild: the installed extension builds with the esbuild it ships (its API and native binary)', async () => {
    const { located, response } = await buildAndRun(project('none'), extensionDist);
    assert.equal(located.source, 'workbench');
    assert.equal(located.packageDir, path.join(extensionDist, 'node_modules', 'esbuild'));
    assert.equal(located.notice, undefined);
    assert.equal(response, 'Hello, packaged!');
  });

  it('a project whose esbuild is older than 0.17: ours builds, with the one-line notice', async () => {
    const codeDir = project('old');
    // The project pins esbuild 0.14 as `sam init`'s TypeScript template does; only its version is read, it never runs.
    const oldEsbuild = path.join(path.dirname(codeDir), 'node_modules', 'esbuild');
    await mkdir(oldEsbuild, { recursive: true });
    await writeFile(path.join(oldEsbuild, 'package.json'), JSON.stringify({ name: 'esbuild', version: '0.14.54', main: 'lib/main.js' }));
    const { located, response } = await buildAndRun(codeDir, extensionDist);
    assert.equal(located.source, 'workbench');
    assert.equal(located.packageDir, path.join(extensionDist, 'node_modules', 'esbuild'));
    assert.match(located.notice ?? '', /^esbuild 0\.14\.54 of the project \(.*\) is older than 0\.17, which Lambda Workbench needs, so it builds with its own esbuild \d+\.\d+\.\d+;/);
    assert.equal(response, 'Hello, packaged!');
  });
});
