// Function properties read from SAM and plain CloudFormation templates: code, images, layers, integrations, esbuild metadata.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findFunction, loadTemplate, type TemplateModel } from '../../src/core/template';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/templates');

describe('function properties', () => {
  // Inline code is written next to the template, so the fixtures are read from a copy.
  let dir: string;
  let features: TemplateModel;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lw-templates-'));
    cpSync(fixtures, dir, { recursive: true });
    features = await loadTemplate(path.join(dir, 'features.yaml'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a plain CloudFormation function from a JSON template', async () => {
    const model = await loadTemplate(path.join(dir, 'cloudformation.json'));
    const fn = findFunction(model, 'JsonFunction');
    assert.deepEqual(fn, {
      logicalId: 'JsonFunction',
      functionName: 'json-us-east-1',
      templatePath: path.join(dir, 'cloudformation.json'),
      // No .git above the temporary folder: the template's own folder is the project root.
      projectRoot: dir,
      location: { file: path.join(dir, 'cloudformation.json'), line: 9, column: 5 },
      codeLocation: { file: path.join(dir, 'cloudformation.json'), line: 13, column: 9 },
      packageType: 'Zip',
      codeDir: path.join(dir, 'src'),
      runtime: 'nodejs20.x',
      handler: 'app.handler',
      timeoutSeconds: 15,
      memorySizeMB: 1024,
      ephemeralStorageMB: 1024,
      architecture: 'arm64',
      environment: { LEVEL: 'DEBUG' },
      layers: [],
      reservedConcurrency: 2,
      events: [],
      logging: { format: 'JSON', applicationLogLevel: 'DEBUG', systemLogLevel: 'WARN' },
      deadLetterTarget: 'arn:aws:sqs:us-east-1:123456789012:Dlq',
      tracing: 'Active',
      eventInvokeConfig: { maximumRetryAttempts: 1, maximumEventAgeInSeconds: 120, onFailure: 'arn:aws:sqs:us-east-1:123456789012:Dlq' },
    });
    assert.equal(findFunction(model, 'json-us-east-1'), fn, 'found by FunctionName too');
  });

  it('writes Code.ZipFile to a stable folder as index.js', async () => {
    const fn = findFunction(features, 'InlineNode');
    const file = path.join(dir, '.lambda-workbench', 'inline', 'InlineNode', 'index.js');
    assert.equal(fn.codeDir, path.dirname(file));
    assert.equal(readFileSync(file, 'utf8'), "exports.handler = async () => 'inline';\n");
    const written = statSync(file).mtimeMs;
    await loadTemplate(path.join(dir, 'features.yaml'));
    assert.equal(statSync(file).mtimeMs, written, 'unchanged inline code is not rewritten');
  });

  it('writes SAM InlineCode for python as index.py', () => {
    const fn = findFunction(features, 'InlinePython');
    assert.equal(readFileSync(path.join(fn.codeDir, 'index.py'), 'utf8'), 'def handler(event, context):\n    return "inline"\n');
  });

  it('reads image functions with ImageConfig', () => {
    const fn = findFunction(features, 'ImageFunction');
    assert.equal(fn.packageType, 'Image');
    assert.equal(fn.imageUri, 'hello-image:latest');
    assert.deepEqual(fn.imageConfig, { command: ['app.handler'], entryPoint: ['/lambda-entrypoint.sh'], workingDirectory: '/var/task' });
    assert.equal(fn.handler, 'app.handler');
    assert.equal(fn.runtime, undefined);
  });

  it('names the local image of a Dockerfile function without ImageUri, with a warning', () => {
    assert.equal(findFunction(features, 'DockerfileImage').imageUri, 'dockerfileimage:v1');
    assert.ok(features.warnings.some((warning) => warning.includes('DockerfileImage has no ImageUri')));
  });

  it('reads layers: local content for !Ref to template layers, ARNs as they are', () => {
    assert.deepEqual(features.layers, {
      SharedLayer: { ref: 'SharedLayer', compatibleRuntimes: ['nodejs20.x'], contentDir: path.join(dir, 'layers/shared') },
      CfnLayer: { ref: 'CfnLayer', contentDir: path.join(dir, 'layers/cfn') },
      S3Layer: { ref: 'S3Layer' },
    });
    assert.ok(features.warnings.some((warning) => warning.includes('Layer S3Layer has its content in S3')));
    assert.deepEqual(findFunction(features, 'Worker').layers, [
      features.layers.SharedLayer,
      features.layers.CfnLayer,
      // Where the template names it: an ARN that is not known locally is an error at that line.
      { ref: 'arn:aws:lambda:us-east-1:123456789012:layer:remote:4', location: { file: path.join(dir, 'features.yaml'), line: 66, column: 16 } },
    ]);
  });

  it('reads concurrency, alias, DLQ, tracing, logging, URL, event invoke config and events', () => {
    const fn = findFunction(features, 'Worker');
    assert.equal(fn.location?.line, 57);
    assert.equal(fn.reservedConcurrency, 10);
    assert.equal(fn.provisionedConcurrency, 3);
    assert.equal(fn.autoPublishAlias, 'live');
    assert.equal(fn.deadLetterTarget, 'arn:aws:sns:us-east-1:123456789012:Failures'); // Ref of a topic is its ARN
    assert.equal(fn.tracing, 'PassThrough');
    assert.deepEqual(fn.logging, { format: 'JSON', applicationLogLevel: 'INFO', logGroup: '/custom/worker' });
    assert.deepEqual(fn.functionUrl, { authType: 'NONE', invokeMode: 'RESPONSE_STREAM', cors: { AllowOrigins: ['*'] } });
    // With AutoPublishAlias, SAM attaches EventInvokeConfig to the alias, not to $LATEST.
    assert.equal(fn.eventInvokeConfig, undefined);
    assert.deepEqual(fn.qualifiedEventInvokeConfigs, [{
      qualifier: { version: 'live' },
      config: {
        maximumRetryAttempts: 0,
        maximumEventAgeInSeconds: 300,
        onSuccess: 'arn:aws:sqs:us-east-1:123456789012:Orders',
        onFailure: 'arn:aws:sns:us-east-1:123456789012:Failures',
      },
    }]);
    assert.deepEqual(fn.events, [
      { id: 'FromQueue', type: 'SQS', properties: { Queue: 'arn:aws:sqs:us-east-1:123456789012:Orders', BatchSize: 5 } },
      { id: 'Nightly', type: 'Schedule', properties: { Schedule: 'rate(1 day)' } },
    ]);
    assert.ok(features.warnings.some((warning) => warning.includes('Events.Nightly.Properties.Input of Worker is left out')));
  });

  it('reads esbuild metadata and appends --enable-source-maps to NODE_OPTIONS as SAM does', () => {
    const fn = findFunction(features, 'Bundled');
    assert.deepEqual(fn.build, {
      entryPoints: ['handlers/api.ts'],
      sourcemap: true,
      target: 'es2022',
      format: 'esm',
      external: ['@aws-sdk/*'],
      minify: false,
      extra: { Loader: ['.txt=text'], MainFields: 'module,main' },
    });
    assert.equal(fn.environment.NODE_OPTIONS, '--max-old-space-size=256 --enable-source-maps');
  });

  it('uses SAM defaults for esbuild: handler file as entry, minify on, source maps from NODE_OPTIONS', () => {
    const fn = findFunction(features, 'BundledDefaults');
    assert.deepEqual(fn.build, { entryPoints: ['app.js'], sourcemap: true, format: 'cjs', external: [], minify: true, extra: {} });
    assert.equal(fn.environment.NODE_OPTIONS, '--enable-source-maps');
  });

  it('defaults CodeUri to the template folder', async () => {
    const model = await loadTemplate(path.join(dir, 'default-codeuri.yaml'));
    assert.equal(findFunction(model, 'NoCodeUri').codeDir, dir);
  });

  it('runs CDK functions from their local asset folder in cdk.out', async () => {
    const model = await loadTemplate(path.join(dir, 'cdk.out', 'HelloStack.template.json'));
    const fn = findFunction(model, 'HelloHandler2E4FBA4D');
    assert.equal(fn.codeDir, path.join(dir, 'cdk.out', 'asset.0a1b2c'));
    assert.equal(fn.handler, 'index.handler');
  });
});
