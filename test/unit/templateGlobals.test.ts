// SAM Globals.Function merged into each AWS::Serverless::Function (maps merged, lists concatenated, scalars overridden).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findFunction, loadTemplate } from '../../src/core/template';
import { mergeGlobal } from '../../src/core/template/samGlobals';

const template = path.resolve(__dirname, '../../../test/fixtures/templates/globals.yaml');

describe('SAM Globals', () => {
  it('gives a function every global property it does not set', async () => {
    const fn = findFunction(await loadTemplate(template), 'UsesGlobals');
    assert.equal(fn.runtime, 'nodejs20.x');
    assert.equal(fn.handler, 'app.handler');
    assert.equal(fn.timeoutSeconds, 20);
    assert.equal(fn.memorySizeMB, 256);
    assert.equal(fn.architecture, 'arm64');
    assert.deepEqual(fn.environment, { SHARED: 'from-globals', OVERRIDDEN: 'from-globals' });
    assert.deepEqual(fn.layers, [{ ref: 'arn:aws:lambda:us-east-1:123456789012:layer:global:1', location: { file: template, line: 13, column: 9 } }]);
  });

  it('overrides scalars, merges Environment.Variables and concatenates lists', async () => {
    const fn = findFunction(await loadTemplate(template), 'OverridesGlobals');
    assert.equal(fn.timeoutSeconds, 60);
    assert.equal(fn.runtime, 'python3.12');
    assert.equal(fn.handler, 'app.lambda_handler');
    assert.equal(fn.memorySizeMB, 256);
    assert.deepEqual(fn.environment, { SHARED: 'from-globals', OVERRIDDEN: 'from-function', OWN: 'own' });
    assert.deepEqual(fn.layers.map((layer) => layer.ref), [
      'arn:aws:lambda:us-east-1:123456789012:layer:global:1',
      'arn:aws:lambda:us-east-1:123456789012:layer:local:3',
    ]);
  });

  it('does not apply to AWS::Lambda::Function', async () => {
    const fn = findFunction(await loadTemplate(template), 'PlainLambda');
    assert.equal(fn.timeoutSeconds, 3);
    assert.equal(fn.memorySizeMB, 128);
    assert.equal(fn.architecture, 'x86_64');
    assert.deepEqual(fn.environment, {});
    assert.deepEqual(fn.layers, []);
  });

  it('lets an intrinsic on either side replace the other value instead of merging', () => {
    assert.deepEqual(mergeGlobal({ A: 1 }, { Ref: 'P' }), { Ref: 'P' });
    assert.deepEqual(mergeGlobal({ 'Fn::If': ['C', 1, 2] }, { B: 2 }), { B: 2 });
    assert.deepEqual(mergeGlobal({ A: { X: 1, Y: [1] } }, { A: { Y: [2], Z: 3 } }), { A: { X: 1, Y: [1, 2], Z: 3 } });
    assert.equal(mergeGlobal([1], 'scalar'), 'scalar');
  });
});
