// esbuild builds of SAM `BuildMethod: esbuild` functions: real bundles run in child node processes, source maps, rebuilds, errors.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { FunctionBuilder } from '../../src/core/build/functionBuilder';
import { isWorkbenchError } from '../../src/core/common/errors';
import { findFunction, functionFromHandler, loadTemplate } from '../../src/core/template';
import type { FunctionSpec } from '../../src/core/template/functionSpec';

const run = promisify(execFile);
const example = path.resolve(__dirname, '../../../examples/hello-ts');

/** Loads a bundle in a fresh node process, calls its handler, and returns the result. */
async function invokeBundle(file: string, event: unknown, env: Record<string, string> = {}): Promise<{ result: unknown; stdout: string }> {
  const script = `
    const load = ${JSON.stringify(file)}.endsWith('.mjs') ? import(${JSON.stringify(file)}) : Promise.resolve(require(${JSON.stringify(file)}));
    load.then((mod) => mod.handler(${JSON.stringify(event)}, { awsRequestId: 'req-1', functionName: 'fn' }))
      .then((result) => console.log('RESULT ' + JSON.stringify(result)));`;
  const { stdout } = await run(process.execPath, ['-e', script], { env: { ...process.env, ...env }, timeout: 20_000 });
  const line = stdout.split('\n').find((text) => text.startsWith('RESULT '));
  assert.ok(line, `no result in output: ${stdout}`);
  return { result: JSON.parse(line.slice('RESULT '.length)), stdout };
}

describe('FunctionBuilder', () => {
  let work: string;
  let builder: FunctionBuilder;

  before(() => {
    work = mkdtempSync(path.join(tmpdir(), 'lw-build-'));
    builder = new FunctionBuilder(path.join(work, 'state'));
  });

  after(async () => {
    await builder.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('bundles examples/hello-ts into a stable folder, and the output runs', async () => {
    const spec = findFunction(await loadTemplate(path.join(example, 'template.yaml')), 'HelloFunction');
    const result = await builder.build(spec);
    assert.equal(result.codeDir, path.join(work, 'state', 'build', 'HelloFunction'));
    assert.equal(result.changed, true);
    assert.deepEqual(result.warnings, []);
    const { result: response, stdout } = await invokeBundle(path.join(result.codeDir, 'app.js'), { name: 'Ada' }, spec.environment);
    assert.deepEqual(response, {
      statusCode: 200,
      body: JSON.stringify({ message: 'Hello from TypeScript, Ada!', input: { name: 'Ada' } }),
    });
    assert.match(stdout, /Request req-1: Hello from TypeScript, Ada!/);
  });

  it('writes a source map whose sources are the absolute .ts paths, with their content', async () => {
    const spec = findFunction(await loadTemplate(path.join(example, 'template.yaml')), 'HelloFunction');
    const { codeDir } = await builder.build(spec);
    const map = JSON.parse(readFileSync(path.join(codeDir, 'app.js.map'), 'utf8'));
    const source = path.join(example, 'src', 'app.ts');
    assert.deepEqual(map.sources, [source]);
    assert.equal(map.sourceRoot, '');
    assert.deepEqual(map.sourcesContent, [readFileSync(source, 'utf8')]);
    assert.match(readFileSync(path.join(codeDir, 'app.js'), 'utf8'), /\/\/# sourceMappingURL=app\.js\.map\s*$/);
  });

  it('reports no change when the sources did not change', async () => {
    const spec = findFunction(await loadTemplate(path.join(example, 'template.yaml')), 'HelloFunction');
    await builder.build(spec);
    assert.equal((await builder.build(spec)).changed, false);
  });

  describe('on an edited copy', () => {
    let copy: string;
    let spec: FunctionSpec;

    before(async () => {
      copy = path.join(work, 'hello-ts');
      cpSync(example, copy, { recursive: true });
      spec = findFunction(await loadTemplate(path.join(copy, 'template.yaml')), 'HelloFunction');
    });

    it('rebuilds incrementally and picks up edits', async () => {
      const first = await builder.rebuild(spec);
      const bundle = path.join(first.codeDir, 'app.js');
      assert.equal(((await invokeBundle(bundle, { name: 'v1' }, spec.environment)).result as { statusCode: number }).statusCode, 200);

      const source = path.join(copy, 'src', 'app.ts');
      writeFileSync(source, readFileSync(source, 'utf8').replace("statusCode: 200", 'statusCode: 201'));
      const second = await builder.rebuild(spec);
      assert.equal(second.changed, true);
      assert.equal(second.codeDir, first.codeDir);
      const { result } = await invokeBundle(bundle, { name: 'v2' }, spec.environment);
      assert.equal((result as { statusCode: number }).statusCode, 201);
      assert.equal((await builder.rebuild(spec)).changed, false);
    });

    it('turns a syntax error into BUILD_FAILED at its line and keeps the previous output', async () => {
      const bundle = path.join(builder.outputDir(spec), 'app.js');
      const previous = readFileSync(bundle, 'utf8');
      const source = path.join(copy, 'src', 'app.ts');
      const good = readFileSync(source, 'utf8');
      const lines = good.split('\n');
      const line = lines.findIndex((text) => text.includes('const message = greet(event.name);')) + 1;
      lines[line - 1] = '  const message = greet(event.name;';
      writeFileSync(source, lines.join('\n'));
      try {
        await assert.rejects(builder.rebuild(spec), (error) => {
          assert.ok(isWorkbenchError(error, 'BUILD_FAILED'));
          assert.equal(error.options.location?.file, source);
          assert.equal(error.options.location?.line, line);
          assert.match(error.message, /^Build of HelloFunction failed with 1 error:\n/);
          assert.match(error.message, /Expected "\)" but found ";"/);
          return true;
        });
        assert.equal(readFileSync(bundle, 'utf8'), previous);
        const { result } = await invokeBundle(bundle, {}, spec.environment);
        assert.equal((result as { statusCode: number }).statusCode, 201);
      } finally {
        writeFileSync(source, good);
      }
      assert.equal((await builder.rebuild(spec)).changed, false, 'fixing the error restores the same output');
    });
  });

  it('writes .mjs for Format esm and removes outputs the build no longer makes', async () => {
    const base = findFunction(await loadTemplate(path.join(example, 'template.yaml')), 'HelloFunction');
    const spec: FunctionSpec = { ...base, logicalId: 'HelloEsm', build: { ...base.build!, format: 'esm', sourcemap: false, minify: true } };
    const result = await builder.build(spec);
    assert.ok(existsSync(path.join(result.codeDir, 'app.mjs')));
    const { result: response } = await invokeBundle(path.join(result.codeDir, 'app.mjs'), { name: 'esm' });
    assert.equal((response as { statusCode: number }).statusCode, 200);

    const cjs = await builder.build({ ...spec, build: { ...spec.build!, format: 'cjs' } });
    assert.equal(cjs.changed, true);
    assert.ok(existsSync(path.join(cjs.codeDir, 'app.js')));
    assert.equal(existsSync(path.join(cjs.codeDir, 'app.mjs')), false);
  });

  it('fails with BUILD_FAILED when an entry point does not exist', async () => {
    const base = findFunction(await loadTemplate(path.join(example, 'template.yaml')), 'HelloFunction');
    const spec: FunctionSpec = { ...base, logicalId: 'Missing', build: { ...base.build!, entryPoints: ['nope.ts'] } };
    await assert.rejects(builder.build(spec), (error) => isWorkbenchError(error, 'BUILD_FAILED') && /Entry point nope\.ts of Missing not found/.test(error.message));
  });

  it('returns the code folder unchanged for functions without a build', async () => {
    const spec = functionFromHandler({ handler: 'app.handler', runtime: 'nodejs20.x', codeDir: path.join(example, 'src') });
    assert.deepEqual(await builder.build(spec), { codeDir: spec.codeDir, durationMs: 0, changed: false, warnings: [] });
  });
});
