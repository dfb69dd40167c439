// Unit tests for blueprints: each one scaffolds, never overwrites, yields a valid template and its own tests pass.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { parseDocument } from 'yaml';
import { isWorkbenchError } from '../../src/core/common/errors';
import { BLUEPRINT_RUNTIMES, listBlueprints, scaffoldBlueprint, type BlueprintLanguage } from '../../src/core/blueprints';
import { loadTemplate } from '../../src/core/template';

const REQUIRED_FUNCTION_BLUEPRINTS = [
  'hello', 'http-function-url', 's3-object', 'sqs-batch', 'dynamodb-stream', 'scheduled-job', 'sns-subscriber', 'streaming-response',
];
const projectRoot = join(__dirname, '..', '..', '..');
const workDir = mkdtempSync(join(tmpdir(), 'lwb-blueprints-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

let counter = 0;
const freshDir = (label: string): string => join(workDir, `${label}-${counter++}`);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

function snapshot(dir: string): Map<string, string> {
  return new Map(filesUnder(dir).map((f) => [relative(dir, f), readFileSync(f, 'utf8')]));
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
}

/** Runs the scaffolded project's own tests the way its README/CI does, without npm install. */
async function runProjectTests(dir: string, language: BlueprintLanguage): Promise<void> {
  const files = filesUnder(dir).map((f) => relative(dir, f));
  if (language === 'javascript') {
    run(process.execPath, ['--test'], dir);
  } else if (language === 'typescript') {
    const entryPoints = files.filter((f) => f.endsWith('.test.ts'));
    assert.ok(entryPoints.length > 0, 'no TypeScript tests');
    await esbuild.build({
      entryPoints: entryPoints.map((f) => join(dir, f)), absWorkingDir: dir, outbase: dir, outdir: join(dir, '.test-build'),
      bundle: true, platform: 'node', format: 'esm', target: 'node20', outExtension: { '.js': '.mjs' }, external: ['@aws-sdk/*'], logLevel: 'silent',
    });
    run(process.execPath, ['--test', '.test-build/'], dir);
    run(process.execPath, [join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.', '--typeRoots', join(projectRoot, 'node_modules', '@types')], dir);
  } else {
    const testDirs = [...new Set(files.filter((f) => /(^|\/)test_[^/]+\.py$/.test(f)).map((f) => dirname(f)))];
    assert.ok(testDirs.length > 0, 'no Python tests');
    for (const testDir of testDirs) run('python3', ['-B', '-m', 'unittest', 'discover', '-s', testDir, '-p', 'test_*.py'], dir);
  }
}

describe('blueprint catalogue', () => {
  it('offers the required function blueprints and at least two application templates', () => {
    const blueprints = listBlueprints();
    for (const id of REQUIRED_FUNCTION_BLUEPRINTS) {
      const blueprint = blueprints.find((b) => b.id === id);
      assert.ok(blueprint, `missing ${id}`);
      assert.equal(blueprint.kind, 'function');
      assert.ok(blueprint.languages.includes('javascript') && blueprint.languages.includes('typescript'), id);
    }
    assert.ok(blueprints.filter((b) => b.kind === 'application').length >= 2);
    assert.ok(blueprints.filter((b) => b.kind === 'function' && b.languages.includes('python')).length >= 7);
  });
});

for (const blueprint of listBlueprints()) {
  describe(`blueprint ${blueprint.id}`, () => {
    for (const language of blueprint.languages) {
      it(`${language}: scaffolds a complete project whose own tests pass`, async () => {
        const dir = freshDir(`${blueprint.id}-${language}`);
        const result = await scaffoldBlueprint(blueprint.id, language, dir);
        assert.deepEqual(result.skipped, []);
        assert.deepEqual([...result.created].sort(), filesUnder(dir).sort());
        for (const file of result.created) {
          assert.doesNotMatch(readFileSync(file, 'utf8'), /\{\{[A-Za-z]+\}\}/, `placeholder left in ${file}`);
        }
        const template = parseDocument(readFileSync(join(dir, 'template.yaml'), 'utf8'));
        assert.deepEqual(template.errors, []);
        const resources = template.toJS({ maxAliasCount: -1 }).Resources as Record<string, { Type: string }>;
        assert.ok(Object.values(resources).some((r) => r.Type === 'AWS::Serverless::Function'));
        assert.ok(filesUnder(join(dir, 'events')).some((f) => f.endsWith('.json')), 'no sample event');
        const model = await loadTemplate(join(dir, 'template.yaml'));
        assert.ok(model.functions.length >= 1);
        for (const fn of model.functions) {
          assert.equal(fn.runtime, language === 'python' ? 'python3.12' : 'nodejs20.x');
          assert.ok(statSync(fn.codeDir).isDirectory(), `${fn.logicalId}: no code at ${fn.codeDir}`);
          assert.equal(fn.build !== undefined, language === 'typescript', `${fn.logicalId}: esbuild metadata`);
        }
        if (blueprint.kind === 'application') {
          assert.match(readFileSync(join(dir, '.github', 'workflows', 'ci.yml'), 'utf8'), /sam deploy/);
        }
        await runProjectTests(dir, language);
      });
    }
  });
}

describe('snippets', () => {
  it('are valid snippet files with a prefix, a body and a description per entry', () => {
    for (const language of ['javascript', 'typescript', 'python', 'yaml']) {
      const snippets = JSON.parse(readFileSync(join(projectRoot, 'snippets', `${language}.json`), 'utf8')) as Record<string, Record<string, unknown>>;
      assert.ok(Object.keys(snippets).length >= 3, language);
      for (const [name, snippet] of Object.entries(snippets)) {
        assert.ok(Array.isArray(snippet.prefix) && Array.isArray(snippet.body) && typeof snippet.description === 'string', `${language}: ${name}`);
      }
    }
  });
});

describe('scaffolding never overwrites', () => {
  it('skips a pre-existing file and leaves it unchanged', async () => {
    const dir = freshDir('existing');
    mkdirSync(join(dir, 'hello-function'), { recursive: true });
    writeFileSync(join(dir, 'template.yaml'), '# mine\n');
    writeFileSync(join(dir, 'hello-function', 'app.mjs'), 'export const handler = () => 1;\n');
    const result = await scaffoldBlueprint('hello', 'javascript', dir);
    assert.deepEqual(result.skipped.sort(), [join(dir, 'hello-function', 'app.mjs'), join(dir, 'template.yaml')]);
    assert.ok(result.created.includes(join(dir, 'hello-function', 'app.test.mjs')));
    assert.equal(readFileSync(join(dir, 'template.yaml'), 'utf8'), '# mine\n');
    assert.equal(readFileSync(join(dir, 'hello-function', 'app.mjs'), 'utf8'), 'export const handler = () => 1;\n');
  });

  it('skips everything on a second run and changes nothing', async () => {
    const dir = freshDir('twice');
    const first = await scaffoldBlueprint('sqs-batch', 'python', dir);
    const before = snapshot(dir);
    const second = await scaffoldBlueprint('sqs-batch', 'python', dir);
    assert.deepEqual(second.created, []);
    assert.deepEqual(second.skipped, first.created);
    assert.deepEqual(snapshot(dir), before);
  });

  it('refuses to write through a folder that links outside the target', async () => {
    const dir = freshDir('link');
    const outside = freshDir('outside');
    mkdirSync(dir, { recursive: true });
    mkdirSync(outside, { recursive: true });
    symlinkSync(outside, join(dir, 'hello-function'));
    await assert.rejects(scaffoldBlueprint('hello', 'javascript', dir), (e) => isWorkbenchError(e, 'USAGE'));
    assert.deepEqual(readdirSync(outside), []);
  });
});

describe('scaffolding options and errors', () => {
  it('names the function, its folder and its event after functionName', async () => {
    const dir = freshDir('named');
    await scaffoldBlueprint('http-function-url', 'typescript', dir, { functionName: 'OrdersApi' });
    const template = parseDocument(readFileSync(join(dir, 'template.yaml'), 'utf8')).toJS() as { Resources: Record<string, unknown> };
    assert.ok('OrdersApi' in template.Resources);
    assert.ok(statSync(join(dir, 'orders-api', 'app.ts')).isFile());
    assert.ok(statSync(join(dir, 'events', 'orders-api.event.json')).isFile());
  });

  it('rejects bad ids, languages and function names with USAGE', async () => {
    const dir = freshDir('errors');
    await assert.rejects(scaffoldBlueprint('no-such-blueprint', 'javascript', dir), (e) => isWorkbenchError(e, 'USAGE'));
    await assert.rejects(scaffoldBlueprint('streaming-response', 'python', dir), (e) => isWorkbenchError(e, 'USAGE'));
    await assert.rejects(scaffoldBlueprint('hello', 'javascript', dir, { functionName: '../evil' }), (e) => isWorkbenchError(e, 'USAGE'));
    await assert.rejects(scaffoldBlueprint('hello', 'javascript', dir, { functionName: '1st' }), (e) => isWorkbenchError(e, 'USAGE'));
    await assert.rejects(scaffoldBlueprint('hello', 'javascript', dir, { runtime: 'python3.12' }), (e) => isWorkbenchError(e, 'USAGE'));
  });

  it('writes the chosen runtime version into the template and the CI setup', async () => {
    const offered = Object.fromEntries(Object.entries(BLUEPRINT_RUNTIMES).map(([language, runtimes]) => [language, [...runtimes]]));
    assert.deepEqual(offered, { javascript: ['nodejs20.x', 'nodejs22.x'], typescript: ['nodejs20.x', 'nodejs22.x'], python: ['python3.12', 'python3.13'] });
    for (const [language, runtime, setup] of [['javascript', 'nodejs22.x', 'node-version: 22'], ['python', 'python3.13', "python-version: '3.13'"]] as const) {
      const dir = freshDir(`runtime-${runtime}`);
      await scaffoldBlueprint('scheduled-etl', language, dir, { runtime });
      assert.match(readFileSync(join(dir, 'template.yaml'), 'utf8'), new RegExp(`Runtime: ${runtime.replace('.', '\\.')}`));
      assert.ok(readFileSync(join(dir, '.github', 'workflows', 'ci.yml'), 'utf8').includes(setup));
    }
  });
});
