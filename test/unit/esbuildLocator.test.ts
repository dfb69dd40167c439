// Where functions get their esbuild from (SAM's rule): the project above CodeUri, then the template's, then Lambda Workbench's own.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { locateEsbuild } from '../../src/core/build/esbuildLocator';
import { isWorkbenchError } from '../../src/core/common/errors';

const repoEsbuild = path.dirname(require.resolve('esbuild/package.json'));

describe('locateEsbuild', () => {
  let work: string;

  /** A folder of `work`, created with its parents. */
  function dir(...parts: string[]): string {
    const folder = path.join(work, ...parts);
    mkdirSync(folder, { recursive: true });
    return folder;
  }

  /** Installs the repository's esbuild into <project>/node_modules/esbuild (a link, as npm workspaces and pnpm make). */
  function installEsbuild(project: string): string {
    const target = path.join(dir(path.relative(work, project), 'node_modules'), 'esbuild');
    symlinkSync(repoEsbuild, target, 'dir');
    return target;
  }

  before(() => {
    work = realpathSync(mkdtempSync(path.join(tmpdir(), 'lw-esbuild-locator-')));
  });

  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('takes the nearest node_modules/esbuild above CodeUri, and that esbuild builds', async () => {
    const project = dir('nearest', 'app');
    const installed = installEsbuild(project);
    const codeDir = dir('nearest', 'app', 'src', 'handlers');
    writeFileSync(path.join(codeDir, 'app.ts'), 'export const answer: number = 42;\n');

    const found = locateEsbuild([codeDir], dir('nearest', 'no-own-esbuild'));
    assert.equal(found.source, 'project');
    assert.equal(found.packageDir, installed);
    const result = await found.api.build({ entryPoints: [path.join(codeDir, 'app.ts')], bundle: true, write: false, format: 'cjs', platform: 'node' });
    assert.match(result.outputFiles[0].text, /answer.*42/s);
  });

  it("falls back to the template's folder when CodeUri lies outside the project", () => {
    const templateDir = dir('outside', 'app');
    const installed = installEsbuild(templateDir);
    const codeDir = dir('outside', 'shared-code');

    const found = locateEsbuild([codeDir, templateDir], dir('outside', 'no-own-esbuild'));
    assert.equal(found.source, 'project');
    assert.equal(found.packageDir, installed);
  });

  it('prefers the project over Lambda Workbench, and uses its own esbuild when the project has none', () => {
    const project = dir('order', 'project');
    const installed = installEsbuild(project);
    const own = dir('order', 'workbench', 'dist');
    const ownInstalled = installEsbuild(path.dirname(own));

    assert.equal(locateEsbuild([project], own).packageDir, installed);
    const fallback = locateEsbuild([dir('order', 'bare-project')], own);
    assert.equal(fallback.source, 'workbench');
    assert.equal(fallback.packageDir, ownInstalled);
  });

  it('finds the development checkout\'s esbuild by default (the CLI from npm and the development extension)', () => {
    const found = locateEsbuild([dir('default', 'bare-project')]);
    assert.equal(found.source, 'workbench');
    assert.equal(realpathSync(found.packageDir), realpathSync(repoEsbuild));
  });

  it('fails with BUILD_FAILED and the npm install hint when neither the project nor Lambda Workbench has esbuild', () => {
    const codeDir = dir('missing', 'app');
    assert.throws(
      () => locateEsbuild([codeDir], dir('missing', 'no-own-esbuild')),
      (error: unknown) => {
        assert.ok(isWorkbenchError(error, 'BUILD_FAILED'), String(error));
        assert.match(error.message, new RegExp(`no node_modules/esbuild above ${codeDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
        assert.match(error.options.hint ?? '', /npm install --save-dev esbuild/);
        return true;
      },
    );
  });

  it('refuses an esbuild too old for incremental rebuilds, naming the version found, when it has no esbuild of its own', () => {
    const project = dir('old', 'app');
    const packageDir = dir('old', 'app', 'node_modules', 'esbuild');
    writeFileSync(path.join(packageDir, 'package.json'), JSON.stringify({ name: 'esbuild', version: '0.16.17', main: 'lib/main.js' }));
    assert.throws(
      () => locateEsbuild([project], dir('old', 'no-own-esbuild')),
      (error: unknown) => isWorkbenchError(error, 'BUILD_FAILED') && /esbuild 0\.16\.17 .* too old/.test(error.message) && /esbuild@latest/.test(error.options.hint ?? ''),
    );
  });

  it("builds a project pinning esbuild ^0.14 (stock `sam init` TypeScript) with its own esbuild, saying so", async () => {
    const project = dir('sam-init', 'hello-world');
    const packageDir = dir('sam-init', 'hello-world', 'node_modules', 'esbuild');
    writeFileSync(path.join(packageDir, 'package.json'), JSON.stringify({ name: 'esbuild', version: '0.14.54', main: 'lib/main.js' }));
    writeFileSync(path.join(project, 'app.ts'), 'export const answer: number = 42;\n');
    const found = locateEsbuild([project]);
    assert.equal(found.source, 'workbench');
    assert.equal(realpathSync(found.packageDir), realpathSync(repoEsbuild));
    assert.match(found.notice ?? '', /^esbuild 0\.14\.54 of the project \(.*hello-world\/node_modules\/esbuild\) is older than 0\.17, .* its own esbuild \d+\.\d+\.\d+/);
    const result = await found.api.build({ entryPoints: [path.join(project, 'app.ts')], bundle: true, write: false, format: 'cjs', platform: 'node' });
    assert.match(result.outputFiles[0].text, /answer.*42/s);
  });
});
