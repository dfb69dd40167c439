// Finding templates in a workspace, and FunctionSpecs for functions given by handler alone.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isWorkbenchError } from '../../src/core/common/errors';
import { discoverTemplates, functionFromHandler } from '../../src/core/template';

describe('discoverTemplates', () => {
  let root: string;

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'lw-discover-'));
    const files = [
      'template.yaml', 'api/template.yml', 'jobs/template.json', 'infra/queue.template.yaml', 'infra/web.template.json',
      'cdk.out/MyStack.template.json', 'cdk.out/manifest.json', 'cdk.out/asset.abc/template.yaml',
      'node_modules/pkg/template.yaml', '.git/template.yaml', '.aws-sam/build/template.yaml', 'dist/template.yaml',
      '.lambda-workbench/template.yaml', 'docs/templates.yaml', 'src/app.js', 'samconfig.toml',
    ];
    for (const file of files) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), 'Resources: {}\n');
    }
    symlinkSync(root, path.join(root, 'loop'));
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('finds templates and skips build, dependency and state folders', async () => {
    const found = (await discoverTemplates(root)).map((file) => path.relative(root, file));
    assert.deepEqual(found, [
      'api/template.yml',
      'cdk.out/MyStack.template.json',
      'infra/queue.template.yaml',
      'infra/web.template.json',
      'jobs/template.json',
      'template.yaml',
    ]);
  });

  it('returns nothing for a folder that does not exist', async () => {
    assert.deepEqual(await discoverTemplates(path.join(root, 'missing')), []);
  });
});

describe('functionFromHandler', () => {
  it('builds a spec with Lambda defaults', () => {
    const spec = functionFromHandler({ handler: 'src/app.handler', runtime: 'nodejs20.x', codeDir: '/work/project' });
    assert.deepEqual(spec, {
      logicalId: 'app-handler',
      functionName: 'app-handler',
      packageType: 'Zip',
      runtime: 'nodejs20.x',
      handler: 'src/app.handler',
      codeDir: '/work/project',
      timeoutSeconds: 3,
      memorySizeMB: 128,
      ephemeralStorageMB: 512,
      architecture: 'x86_64',
      environment: {},
      layers: [],
      events: [],
      logging: { format: 'Text' },
    });
  });

  it('takes name, timeout, memory and environment, and resolves codeDir', () => {
    const spec = functionFromHandler({
      handler: 'main.lambda_handler', runtime: 'python3.12', codeDir: 'relative', name: 'worker',
      timeoutSeconds: 60, memorySizeMB: 1024, environment: { STAGE: '1' },
    });
    assert.equal(spec.functionName, 'worker');
    assert.equal(spec.codeDir, path.resolve('relative'));
    assert.equal(spec.timeoutSeconds, 60);
    assert.equal(spec.memorySizeMB, 1024);
    assert.deepEqual(spec.environment, { STAGE: '1' });
  });

  it('rejects an unknown runtime and out-of-range limits as USAGE errors naming the option', () => {
    assert.throws(() => functionFromHandler({ handler: 'app.handler', runtime: 'nodejs21' }), (error) =>
      isWorkbenchError(error, 'USAGE') && /Runtime 'nodejs21' .* is not a Lambda runtime \(option --runtime\)/.test(error.message));
    assert.throws(() => functionFromHandler({ handler: 'app.handler', runtime: 'nodejs20.x', timeoutSeconds: 1000 }), (error) =>
      isWorkbenchError(error, 'USAGE') && /Timeout .* is 1000, but Lambda allows 1 to 900 \(option --timeout\)/.test(error.message));
    assert.throws(() => functionFromHandler({ handler: 'app.handler', runtime: 'nodejs20.x', memorySizeMB: 64 }), (error) =>
      isWorkbenchError(error, 'USAGE') && /option --memory/.test(error.message));
  });
});
