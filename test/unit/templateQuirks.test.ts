// Template quirks of real SAM applications, through the built CLI: a too-old project esbuild, duplicate keys, missing CodeUri
// folders, parameters without values and properties Lambda Workbench does not emulate.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cliRun';

/** Writes `files` (path -> content) under a new folder of `root`. */
function project(root: string, name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  return dir;
}

const count = (text: string, needle: string): number => text.split(needle).length - 1;

describe('template quirks of real SAM applications', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'lwb-quirks-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('builds the stock `sam init` TypeScript hello world, whose esbuild ^0.14 is too old, with our own esbuild and says so once', async () => {
    // The template and handler of aws-sam-cli-app-templates' nodejs20.x hello-ts, with its pinned esbuild installed.
    const dir = project(root, 'sam-app', {
      'template.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 3
Resources:
  HelloWorldFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: hello-world/
      Handler: app.lambdaHandler
      Runtime: nodejs20.x
      Architectures:
        - x86_64
      Events:
        HelloWorld:
          Type: Api
          Properties:
            Path: /hello
            Method: get
    Metadata:
      BuildMethod: esbuild
      BuildProperties:
        Minify: true
        Target: "es2020"
        Sourcemap: true
        EntryPoints:
        - app.ts
`,
      'hello-world/app.ts': `import { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

export const lambdaHandler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    return { statusCode: 200, body: JSON.stringify({ message: 'hello world' }) };
};
`,
      'hello-world/package.json': JSON.stringify({ name: 'hello_world', devDependencies: { esbuild: '^0.14.14' } }),
      'hello-world/node_modules/esbuild/package.json': JSON.stringify({ name: 'esbuild', version: '0.14.54', main: 'lib/main.js' }),
    });
    const first = await runCli(['invoke', 'HelloWorldFunction'], { cwd: dir });
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(JSON.parse(first.stdout), { statusCode: 200, body: '{"message":"hello world"}' });
    assert.equal(count(first.stderr, 'esbuild 0.14.54 of the project'), 1, first.stderr);
    assert.match(first.stderr, /Warning: HelloWorldFunction: esbuild 0\.14\.54 of the project \(.*hello-world\/node_modules\/esbuild\) is older than 0\.17/);
  });

  it('loads a template with a duplicated key as SAM CLI reads it (the last value wins), with a warning at file:line', async () => {
    const dir = project(root, 'duplicate', {
      'template.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: src/
      Environment:
        Variables:
          WHICH: first
          WHICH: last
Outputs:
  Api:
    Value: one
  Api:
    Value: two
`,
      'src/index.js': 'exports.handler = async () => process.env.WHICH;\n',
    });
    const run = await runCli(['invoke', 'Echo'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout), 'last');
    const template = join(dir, 'template.yaml');
    assert.ok(run.stderr.includes(`Warning: ${template}:12: duplicate key Resources.Echo.Properties.Environment.Variables.WHICH (first at line 11): the last value is used, as SAM CLI reads it`), run.stderr);
    assert.ok(run.stderr.includes(`Warning: ${template}:16: duplicate key Outputs.Api (first at line 14)`), run.stderr);
  });

  it('names the function, its CodeUri and the template line when the CodeUri folder does not exist', async () => {
    const dir = project(root, 'missing-code', {
      'template.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: app.handler
      CodeUri: hello-world/
`,
    });
    const run = await runCli(['invoke', 'Hello'], { cwd: dir });
    assert.notEqual(run.code, 0);
    const template = join(dir, 'template.yaml');
    assert.ok(run.stderr.includes(`Warning: ${template}:8: CodeUri of Hello is hello-world/, but ${join(dir, 'hello-world')} does not exist`), run.stderr);
    assert.match(run.stderr, new RegExp(`${template.replace(/[.]/g, '\\.')}:8:\\d+: The code of Hello is missing: hello-world \\(${join(dir, 'hello-world')}\\) does not exist`));
    assert.doesNotMatch(run.stderr, /ENOENT|internal error/);
  });

  it('refuses a Parameter without Default or override, naming it, and runs with --parameter-overrides', async () => {
    const dir = project(root, 'parameter', {
      'template.yaml': `Transform: AWS::Serverless-2016-10-31
Parameters:
  BucketName:
    Type: String
Resources:
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: src/
      Environment:
        Variables:
          BUCKET: !Ref BucketName
`,
      'src/index.js': 'exports.handler = async () => process.env.BUCKET;\n',
    });
    const refused = await runCli(['invoke', 'Reader'], { cwd: dir });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /template\.yaml:3:\d+: Parameters: \[BucketName\] must have values: it has no Default and no override\./);
    assert.match(refused.stderr, /--parameter-overrides BucketName=\.\.\./);
    const given = await runCli(['invoke', 'Reader', '--parameter-overrides', 'BucketName=photos'], { cwd: dir });
    assert.equal(given.code, 0, given.stderr);
    assert.equal(JSON.parse(given.stdout), 'photos');
  });

  it('names each property it does not emulate (DurableConfig, TenancyConfig, ...) with what happens locally, and runs the function', async () => {
    const dir = project(root, 'unemulated', {
      'template.yaml': `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig: { SubnetIds: [subnet-1], SecurityGroupIds: [sg-1] }
Resources:
  Durable:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: src/
      DurableConfig:
        ExecutionTimeout: 3600
      TenancyConfig:
        TenantIsolationMode: PER_TENANT
`,
      'src/index.js': 'exports.handler = async () => "ran";\n',
    });
    const run = await runCli(['invoke', 'Durable'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const template = join(dir, 'template.yaml');
    assert.ok(run.stderr.includes(`Warning: ${template}:12: DurableConfig of Durable is not emulated locally: durable executions are not emulated`), run.stderr);
    assert.ok(run.stderr.includes(`Warning: ${template}:14: TenancyConfig of Durable is not emulated locally: tenant isolation is not emulated`), run.stderr);
    assert.ok(run.stderr.includes(`Warning: ${template}:4: VpcConfig of Durable is not emulated locally`), run.stderr);
  });
});
