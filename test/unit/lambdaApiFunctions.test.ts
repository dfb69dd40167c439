// Lambda API function and version actions through the AWS SDK v3 client against a real `lambda-workbench start` (spawned CLI).
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { zipDirectory } from '../../src/core/build/zipPackage';
import { runCli } from '../support/cliRun';
import { endpointOnFixture, failure } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/lambdaApi');
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';
const ROLE = 'arn:aws:iam::123456789012:role/lambda-role';

async function invokeJson(client: LambdaClient, functionName: string, qualifier?: string): Promise<{ body: Record<string, unknown>; executed: string | undefined }> {
  const output = await client.send(new InvokeCommand({ FunctionName: functionName, Qualifier: qualifier, Payload: Buffer.from('{"n":1}') }));
  assert.equal(output.FunctionError, undefined, Buffer.from(output.Payload ?? []).toString());
  return { body: JSON.parse(Buffer.from(output.Payload ?? []).toString()), executed: output.ExecutedVersion };
}

describe('Lambda API: functions and versions (SDK against lambda-workbench start)', () => {
  let zipV1: Buffer;
  let zipV2: Buffer;
  const endpoint = endpointOnFixture(FIXTURE, {
    prepare: async (dir) => {
      zipV1 = readFileSync((await zipDirectory(join(dir, 'code-v1'), join(dir, 'v1.zip'))).zipPath);
      zipV2 = readFileSync((await zipDirectory(join(dir, 'code-v2'), join(dir, 'v2.zip'))).zipPath);
    },
  });

  it('creates a function from ZipFile bytes: Pending, then Active, with the zip\'s CodeSha256 and CodeSize', { timeout: 90_000 }, async () => {
    const created = await endpoint.client.send(new CreateFunctionCommand({
      FunctionName: 'zipped', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zipV1 }, Description: 'from a zip',
    }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.State, 'Pending');
    assert.equal(created.StateReasonCode, 'Creating');
    assert.equal(created.FunctionArn, `${ARN}:zipped`);
    assert.equal(created.CodeSha256, createHash('sha256').update(zipV1).digest('base64'));
    assert.equal(created.CodeSize, zipV1.length);
    assert.equal(created.Version, '$LATEST');
    assert.equal(created.Role, ROLE);
    assert.match(created.RevisionId ?? '', /^[0-9a-f-]{36}$/);
    await waitUntilFunctionActiveV2(endpoint.waiter(), { FunctionName: 'zipped' });
    const { body, executed } = await invokeJson(endpoint.client, 'zipped');
    assert.equal(body.code, 'v1');
    assert.equal(executed, '$LATEST');
  });

  it('creates a function from a local directory (S3Bucket hot-reload) and lists functions page by page', { timeout: 90_000 }, async () => {
    await endpoint.client.send(new CreateFunctionCommand({
      FunctionName: 'local-dir', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE,
      Code: { S3Bucket: 'hot-reload', S3Key: join(endpoint.dir, 'code-v2') },
    }));
    await waitUntilFunctionActiveV2(endpoint.waiter(), { FunctionName: 'local-dir' });
    assert.equal((await invokeJson(endpoint.client, 'local-dir')).body.code, 'v2');

    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await endpoint.client.send(new ListFunctionsCommand({ MaxItems: 1, Marker: marker }));
      assert.ok((page.Functions ?? []).length <= 1);
      names.push(...(page.Functions ?? []).map((f) => f.FunctionName as string));
      marker = page.NextMarker;
    } while (marker);
    assert.deepEqual(names, ['AliasedFunction', 'TemplateFunction', 'local-dir', 'zipped']);
  });

  it('keeps a published version running its own code and configuration after UpdateFunctionCode and UpdateFunctionConfiguration', { timeout: 120_000 }, async () => {
    const first = await endpoint.client.send(new PublishVersionCommand({ FunctionName: 'zipped', Description: 'first' }));
    assert.equal(first.Version, '1');
    assert.equal(first.FunctionArn, `${ARN}:zipped:1`);
    assert.equal(first.Description, 'first');
    const again = await endpoint.client.send(new PublishVersionCommand({ FunctionName: 'zipped' }));
    assert.equal(again.Version, '1', 'unchanged code and configuration publish no new version');

    const updated = await endpoint.client.send(new UpdateFunctionCodeCommand({ FunctionName: 'zipped', ZipFile: zipV2 }));
    assert.equal(updated.LastUpdateStatus, 'InProgress');
    assert.equal(updated.CodeSha256, createHash('sha256').update(zipV2).digest('base64'));
    await waitUntilFunctionUpdatedV2(endpoint.waiter(), { FunctionName: 'zipped' });
    await endpoint.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'zipped', Environment: { Variables: { STAGE: 'two' } }, MemorySize: 256 }));
    await waitUntilFunctionUpdatedV2(endpoint.waiter(), { FunctionName: 'zipped' });

    assert.equal((await invokeJson(endpoint.client, 'zipped')).body.code, 'v2');
    const old = await invokeJson(endpoint.client, 'zipped', '1');
    assert.equal(old.body.code, 'v1');
    assert.equal(old.body.version, '1');
    assert.equal(old.executed, '1');
    const v1 = await endpoint.client.send(new GetFunctionConfigurationCommand({ FunctionName: 'zipped', Qualifier: '1' }));
    assert.equal(v1.MemorySize, 128);
    assert.deepEqual(v1.Environment?.Variables, {});
    assert.equal(v1.CodeSha256, first.CodeSha256);

    const second = await endpoint.client.send(new PublishVersionCommand({ FunctionName: 'zipped' }));
    assert.equal(second.Version, '2');
    assert.equal(second.MemorySize, 256);
    const versions = await endpoint.client.send(new ListVersionsByFunctionCommand({ FunctionName: 'zipped' }));
    assert.deepEqual(versions.Versions?.map((v) => v.Version), ['$LATEST', '1', '2']);
    const all = await endpoint.client.send(new ListFunctionsCommand({ FunctionVersion: 'ALL' }));
    assert.deepEqual(all.Functions?.filter((f) => f.FunctionName === 'zipped').map((f) => f.Version), ['$LATEST', '1', '2']);
  });

  it('answers a stale RevisionId with PreconditionFailedException and a wrong CodeSha256 with InvalidParameterValueException', async () => {
    const error = await failure(endpoint.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'zipped', Timeout: 9, RevisionId: '00000000-0000-0000-0000-000000000000' })));
    assert.equal(error.name, 'PreconditionFailedException');
    assert.equal(error.$metadata?.httpStatusCode, 412);
    assert.equal(error.message, 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
    const sha = await failure(endpoint.client.send(new PublishVersionCommand({ FunctionName: 'zipped', CodeSha256: 'abc' })));
    assert.equal(sha.name, 'InvalidParameterValueException');
    assert.match(sha.message, /^CodeSHA256 \(abc\) is different from current CodeSHA256 in \$LATEST \(.+\)\. Please try again with the CodeSHA256 in \$LATEST\.$/);
  });

  it('validates requests against the service model with AWS\'s wording', async () => {
    const memory = await failure(endpoint.client.send(new CreateFunctionCommand({
      FunctionName: 'small', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zipV1 }, MemorySize: 64,
    })));
    assert.equal(memory.name, 'ValidationException');
    assert.equal(memory.message, "1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128");
    const twoErrors = await failure(endpoint.client.send(new CreateFunctionCommand({
      FunctionName: 'bad name', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'not-a-role', Code: { ZipFile: zipV1 },
    })));
    assert.equal(twoErrors.name, 'ValidationException');
    assert.match(twoErrors.message, /^2 validation errors detected: Value 'bad name' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: .+; Value 'not-a-role' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: /);
    const exists = await failure(endpoint.client.send(new CreateFunctionCommand({
      FunctionName: 'zipped', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zipV1 },
    })));
    assert.equal(exists.name, 'ResourceConflictException');
    assert.equal(exists.message, 'Function already exist: zipped');
    const missing = await failure(endpoint.client.send(new GetFunctionCommand({ FunctionName: 'nope' })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    assert.equal(missing.message, `Function not found: ${ARN}:nope`);
    const noVersion = await failure(endpoint.client.send(new GetFunctionCommand({ FunctionName: 'zipped', Qualifier: '9' })));
    assert.equal(noVersion.message, `Function not found: ${ARN}:zipped:9`);
    const badZip = await failure(endpoint.client.send(new CreateFunctionCommand({
      FunctionName: 'broken', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: Buffer.from('not a zip') },
    })));
    assert.equal(badZip.name, 'InvalidParameterValueException');
    assert.equal(badZip.message, 'Could not unzip uploaded file. Please check your file, then try to upload again.');
  });

  it('refuses reserved, oversized environment variables as Lambda does, and changes nothing', async () => {
    const reserved = await failure(endpoint.client.send(new UpdateFunctionConfigurationCommand({
      FunctionName: 'zipped', Environment: { Variables: { STAGE: 'dev', AWS_REGION: 'eu-west-1' } },
    })));
    assert.equal(reserved.name, 'InvalidParameterValueException');
    assert.equal(reserved.$metadata?.httpStatusCode, 400);
    assert.equal(reserved.message, 'Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION');
    const big = { BIG: 'x'.repeat(4090) };
    const oversized = await failure(endpoint.client.send(new CreateFunctionCommand({
      FunctionName: 'oversized', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zipV1 }, Environment: { Variables: big },
    })));
    assert.equal(oversized.name, 'InvalidParameterValueException');
    assert.equal(oversized.message, `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${JSON.stringify(big)}`);
    const config = await endpoint.client.send(new GetFunctionConfigurationCommand({ FunctionName: 'zipped' }));
    assert.equal(config.Environment?.Variables?.AWS_REGION, undefined);
    assert.equal((await failure(endpoint.client.send(new GetFunctionCommand({ FunctionName: 'oversized' })))).name, 'ResourceNotFoundException');
  });

  it('never crashes on malformed bodies or unknown paths', async () => {
    for (const [method, path, body] of [
      ['POST', '/2015-03-31/functions', '{not json'],
      ['POST', '/2015-03-31/functions', '[1,2]'],
      ['POST', '/2015-03-31/functions/zipped/versions', '\u0000\u0001'],
      ['GET', '/2015-03-31/functions/%E0%A4%A/configuration', ''],
      ['PUT', '/2099-01-01/whatever', 'x'],
    ] as const) {
      const response = await fetch(`${endpoint.url}${path}`, { method, body: method === 'GET' ? undefined : body });
      assert.ok(response.status >= 400 && response.status < 500, `${method} ${path}: ${response.status}`);
      assert.ok(response.headers.get('x-amzn-errortype'), `${method} ${path}`);
    }
    const parse = await fetch(`${endpoint.url}/2015-03-31/functions`, { method: 'POST', body: '{not json' });
    assert.equal(parse.headers.get('x-amzn-errortype'), 'InvalidRequestContentException');
    assert.equal((await endpoint.client.send(new GetFunctionCommand({ FunctionName: 'zipped' }))).Configuration?.FunctionName, 'zipped');
  });

  it('keeps API-made functions and published versions across a restart, then deletes a version and the function', { timeout: 120_000 }, async () => {
    assert.equal(await endpoint.stop(), 0);
    await endpoint.restart();
    const got = await endpoint.client.send(new GetFunctionCommand({ FunctionName: 'zipped' }));
    assert.equal(got.Configuration?.State, 'Active');
    assert.equal(got.Configuration?.MemorySize, 256);
    assert.equal((await invokeJson(endpoint.client, 'zipped', '1')).body.code, 'v1');
    assert.equal((await invokeJson(endpoint.client, 'zipped')).body.code, 'v2');

    await endpoint.client.send(new DeleteFunctionCommand({ FunctionName: 'zipped', Qualifier: '1' }));
    const gone = await failure(invokeJson(endpoint.client, 'zipped', '1'));
    assert.equal(gone.name, 'ResourceNotFoundException');
    assert.equal((await invokeJson(endpoint.client, 'zipped', '2')).body.code, 'v2');
    const deleted = await endpoint.client.send(new DeleteFunctionCommand({ FunctionName: 'zipped' }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    assert.equal((await failure(endpoint.client.send(new GetFunctionCommand({ FunctionName: 'zipped' })))).name, 'ResourceNotFoundException');
  });

  it('forgets API-made functions after `state reset`; template functions stay', { timeout: 120_000 }, async () => {
    assert.equal(await endpoint.stop(), 0);
    const reset = await runCli(['state', 'reset', '--template', join(endpoint.dir, 'template.yaml')], { cwd: endpoint.dir });
    assert.equal(reset.stdout, `State reset: removed ${join(endpoint.dir, '.lambda-workbench', 'state')}\n`, reset.stderr);
    await endpoint.restart();
    assert.equal((await failure(endpoint.client.send(new GetFunctionCommand({ FunctionName: 'local-dir' })))).name, 'ResourceNotFoundException');
    assert.equal((await invokeJson(endpoint.client, 'TemplateFunction')).body.code, 'template');
  });
});
