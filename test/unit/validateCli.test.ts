// `lambda-workbench validate` through dist/cli.js on broken templates: each rule at its exact line and column, every function in one run.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../support/cliRun';

const HEADER = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n";

function fn(name: string, properties: string): string {
  return `  ${name}:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: .\n      Handler: app.handler\n${properties}`;
}

describe('lambda-workbench validate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lwb-validate-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let count = 0;
  const validate = async (template: string, ...extra: string[]) => {
    const file = join(dir, `template-${++count}.yaml`);
    writeFileSync(file, template);
    return { file, run: await runCli(['validate', '--template', file, ...extra], { cwd: dir }) };
  };

  it('passes a valid template with exit status 0', async () => {
    const { file, run } = await validate(`${HEADER}Resources:\n${fn('Ok', '      Runtime: nodejs20.x\n')}`);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.stdout, `${file} is valid.\n`);
  });

  it("reports every function's problem in one run, each at its property's line and column, and exits 1", async () => {
    const { file, run } = await validate(
      `${HEADER}Resources:\n${fn('Small', '      Runtime: nodejs20.x\n      MemorySize: 64\n')}${fn('Slow', '      Runtime: python3.12\n      Timeout: 1000\n')}${fn('Unknown', '      Runtime: nodejs99.x\n')}`,
    );
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.deepEqual(run.stdout.trimEnd().split('\n'), [
      `${file}:10:7: error: MemorySize of Small is 64, but Lambda allows 128 to 10240.`,
      `${file}:17:7: error: Timeout of Slow is 1000, but Lambda allows 1 to 900.`,
      `${file}:23:7: error: Runtime 'nodejs99.x' of Unknown is not a Lambda runtime. Use one of: ${/Use one of: (.*)$/m.exec(run.stdout)?.[1] ?? '?'}`,
      '3 errors, 0 warnings.',
    ]);
  });

  it('reports reserved, malformed and oversized environment variables at the Environment property', async () => {
    const big = 'x'.repeat(4100);
    const { file, run } = await validate(
      `${HEADER}Resources:\n${fn('Reserved', '      Runtime: nodejs20.x\n      Environment:\n        Variables:\n          AWS_REGION: eu-west-1\n')}${fn('Named', '      Runtime: nodejs20.x\n      Environment:\n        Variables:\n          X: one\n')}${fn('Big', `      Runtime: nodejs20.x\n      Environment:\n        Variables:\n          BIG: ${big}\n`)}`,
    );
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.deepEqual(run.stdout.trimEnd().split('\n'), [
      `${file}:10:7: error: Reserved: Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION`,
      `${file}:19:7: error: Named: Environment variable names must start with a letter, have at least 2 characters and use only letters, digits and _: 'X'.`,
      `${file}:28:7: error: Big: Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: {"BIG":"${big}"}`,
      '3 errors, 0 warnings.',
    ]);
  });

  it('warns at the Handler line about a handler string the runtime would refuse at every invocation', async () => {
    const handlerFn = (name: string, runtime: string, handler: string) =>
      `  ${name}:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: .\n      Handler: ${handler}\n      Runtime: ${runtime}\n`;
    const { file, run } = await validate(`${HEADER}Resources:\n${handlerFn('NoDot', 'nodejs20.x', 'src/handler')}${handlerFn('Up', 'nodejs20.x', '../app.handler')}${handlerFn('Py', 'python3.12', 'app')}${handlerFn('Fine', 'python3.12', 'pkg/app.handler')}`);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(run.stdout.trimEnd().split('\n'), [
      `${file}:8: warning: Handler 'src/handler' of NoDot fails every invocation with Runtime.MalformedHandlerName ("Bad handler"); use <file>.<export>, e.g. app.handler.`,
      `${file}:14: warning: Handler '../app.handler' of Up fails every invocation with Runtime.MalformedHandlerName ("'../app.handler' is not a valid handler name. Use absolute paths when specifying root directories in handler names."); use <file>.<export>, e.g. app.handler.`,
      `${file}:20: warning: Handler 'app' of Py fails every invocation with Runtime.MalformedHandlerName ("Bad handler 'app': not enough values to unpack (expected 2, got 1)"); use <module>.<function>, e.g. app.handler.`,
      `${file} is valid (3 warnings).`,
    ]);
  });

  it('points at a YAML syntax error and an unknown short-form tag', async () => {
    const syntax = await validate(`${HEADER}Resources:\n  Broken:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n     Runtime: nodejs20.x\n`);
    assert.equal(syntax.run.code, 1);
    assert.match(syntax.run.stdout, new RegExp(`^${syntax.file}:8:\\d+: error: YAML syntax error: `));
    const tag = await validate(`${HEADER}Resources:\n${fn('Tagged', '      Runtime: !Bogus nodejs20.x\n')}`);
    assert.equal(tag.run.code, 1);
    assert.match(tag.run.stdout, new RegExp(`^${tag.file}:9:\\d+: error: .*!Bogus.*CloudFormation knows only its own short-form tags`));
  });

  it('warns about a duplicated key at its line and keeps the template valid', async () => {
    const { file, run } = await validate(`${HEADER}Resources:\n${fn('Twice', '      Runtime: nodejs20.x\n      Timeout: 3\n      Timeout: 5\n')}`);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`^${file}:11: warning: duplicate key .*Timeout`, 'm'));
    assert.match(run.stdout, /is valid \(1 warning\)\.\n$/);
  });

  it('names a parameter without a value, and accepts it once --parameter-overrides gives one', async () => {
    const template = `${HEADER}Parameters:\n  Stage:\n    Type: String\nResources:\n${fn('Staged', '      Runtime: nodejs20.x\n      Environment:\n        Variables:\n          STAGE: !Ref Stage\n')}`;
    const missing = await validate(template);
    assert.equal(missing.run.code, 1);
    assert.match(missing.run.stdout, new RegExp(`^${missing.file}:4:3: error: Parameters: \\[Stage\\] must have values`));
    const given = await validate(template, '--parameter-overrides', 'Stage=dev');
    assert.equal(given.run.code, 0, given.run.stdout);
  });

  it('refuses provisioned concurrency above the reserved concurrency, at the provisioned value', async () => {
    const { file, run } = await validate(
      `${HEADER}Resources:\n${fn('Warm', '      Runtime: nodejs20.x\n      AutoPublishAlias: live\n      ReservedConcurrentExecutions: 2\n      ProvisionedConcurrencyConfig:\n        ProvisionedConcurrentExecutions: 5\n')}`,
    );
    assert.equal(run.code, 1, run.stdout);
    assert.match(
      run.stdout,
      new RegExp(`^${file}:13:9: error: ProvisionedConcurrencyConfig\\.ProvisionedConcurrentExecutions of Warm is 5, above its ReservedConcurrentExecutions of 2: `),
    );
  });

  it('--format json gives the same diagnostics for tools', async () => {
    const { file, run } = await validate(`${HEADER}Resources:\n${fn('Small', '      Runtime: nodejs20.x\n      MemorySize: 64\n')}`, '--format', 'json');
    assert.equal(run.code, 1);
    assert.deepEqual(JSON.parse(run.stdout), {
      template: file,
      valid: false,
      diagnostics: [{
        severity: 'error',
        message: 'MemorySize of Small is 64, but Lambda allows 128 to 10240.',
        file,
        line: 10,
        column: 7,
        fix: { title: 'Change MemorySize to 128', file, line: 10, column: 19, endLine: 10, endColumn: 21, newText: '128' },
      }],
    });
  });

  it('exits 2 with a clear message when there is no template', async () => {
    const run = await runCli(['validate', '--template', join(dir, 'nope.yaml')], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Template not found: .*nope\.yaml/);
  });
});
