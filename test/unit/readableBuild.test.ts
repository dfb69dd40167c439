// Debug builds are readable (no minification, names kept, a source map) while normal builds keep the template's Minify.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FunctionBuilder } from '../../src/core/build/functionBuilder';
import { findFunction, loadTemplate } from '../../src/core/template';
import type { FunctionSpec } from '../../src/core/template/functionSpec';

/** The extension fixture's TypeScript function: no Minify in its template, so SAM's default (true) applies. */
const template = path.resolve(__dirname, '../../../test/fixtures/workspace/template.yaml');

describe('readable debug builds', () => {
  let work: string;
  let builder: FunctionBuilder;
  let spec: FunctionSpec;

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'lwb-readable-build-'));
    builder = new FunctionBuilder(work);
    spec = findFunction(await loadTemplate(template), 'HelloTsFunction');
    assert.equal(spec.build?.minify, true, 'the fixture relies on Minify defaulting to true');
  });

  after(async () => {
    await builder.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  const bundle = async (readable: boolean, rebuild: boolean) => {
    const result = await (rebuild ? builder.rebuild(spec, readable) : builder.build(spec, readable));
    return readFileSync(path.join(result.codeDir, 'app.js'), 'utf8');
  };

  it('minifies for invocations, as the template says', async () => {
    const code = await bundle(false, false);
    assert.doesNotMatch(code, /const name = /);
    assert.ok(code.split('\n').length < 10, 'minified into a few lines');
  });

  it('keeps the source names and function names for debugging, with a source map', async () => {
    const code = await bundle(true, false);
    assert.match(code, /const name = event\.name/);
    assert.match(code, /__name\(/, 'keepNames');
    assert.match(code, /\/\/# sourceMappingURL=app\.js\.map/);
  });

  it('switches modes on incremental rebuilds too', async () => {
    assert.match(await bundle(true, true), /const name = event\.name/);
    assert.doesNotMatch(await bundle(false, true), /const name = /);
  });
});
