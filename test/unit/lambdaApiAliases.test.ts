// Lambda API aliases through the AWS SDK v3 client against a real `lambda-workbench start`: AutoPublishAlias, weighted routing, errors.
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  GetAliasCommand,
  InvokeCommand,
  ListAliasesCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { zipDirectory } from '../../src/core/build/zipPackage';
import { endpointOnFixture, failure } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/lambdaApi');
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';

describe('Lambda API: aliases (SDK against lambda-workbench start)', () => {
  const endpoint = endpointOnFixture(FIXTURE);

  before(async () => {
    const { dir } = endpoint;
    const zip = async (code: string) => readFileSync((await zipDirectory(join(dir, code), join(dir, `${code}.zip`))).zipPath);
    await endpoint.client.send(new CreateFunctionCommand({
      FunctionName: 'routed', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::123456789012:role/r', Code: { ZipFile: await zip('code-v1') }, Publish: true,
    }));
    await waitUntilFunctionActiveV2(endpoint.waiter(), { FunctionName: 'routed' });
    await endpoint.client.send(new UpdateFunctionCodeCommand({ FunctionName: 'routed', ZipFile: await zip('code-v2') }));
    await waitUntilFunctionUpdatedV2(endpoint.waiter(), { FunctionName: 'routed' });
    assert.equal((await endpoint.client.send(new PublishVersionCommand({ FunctionName: 'routed' }))).Version, '2');
  });

  it('publishes version 1 of an AutoPublishAlias function at load, with the alias pointing at it', { timeout: 60_000 }, async () => {
    const alias = await endpoint.client.send(new GetAliasCommand({ FunctionName: 'AliasedFunction', Name: 'live' }));
    assert.equal(alias.FunctionVersion, '1');
    assert.equal(alias.AliasArn, `${ARN}:AliasedFunction:live`);
    const output = await endpoint.client.send(new InvokeCommand({ FunctionName: 'AliasedFunction:live' }));
    assert.equal(output.ExecutedVersion, '1');
    assert.deepEqual(JSON.parse(Buffer.from(output.Payload ?? []).toString()), { code: 'template', version: '1' });
  });

  it('routes about the configured share of invocations to the additional version', { timeout: 240_000 }, async () => {
    const created = await endpoint.client.send(new CreateAliasCommand({
      FunctionName: 'routed', Name: 'canary', FunctionVersion: '1', Description: 'thirty percent', RoutingConfig: { AdditionalVersionWeights: { 2: 0.3 } },
    }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.deepEqual(created.RoutingConfig?.AdditionalVersionWeights, { 2: 0.3 });
    const runs = 300;
    let second = 0;
    for (let i = 0; i < runs; i++) {
      const output = await endpoint.client.send(new InvokeCommand({ FunctionName: 'routed', Qualifier: 'canary' }));
      const body = JSON.parse(Buffer.from(output.Payload ?? []).toString());
      // The executed version header and the code that ran agree.
      assert.equal(body.code, output.ExecutedVersion === '2' ? 'v2' : 'v1');
      if (output.ExecutedVersion === '2') second++;
    }
    // Binomial(300, 0.3): mean 90, standard deviation 7.9; six deviations either side fail a correct router about once in 10^9 runs.
    assert.ok(second >= 43 && second <= 137, `version 2 ran ${second} of ${runs} times`);
  });

  it('updates, lists and deletes aliases; the alias and its weights survive a restart', { timeout: 120_000 }, async () => {
    const before = await endpoint.client.send(new GetAliasCommand({ FunctionName: 'routed', Name: 'canary' }));
    const stale = await failure(endpoint.client.send(new UpdateAliasCommand({ FunctionName: 'routed', Name: 'canary', FunctionVersion: '2', RevisionId: 'stale' })));
    assert.equal(stale.name, 'PreconditionFailedException');
    const moved = await endpoint.client.send(new UpdateAliasCommand({ FunctionName: 'routed', Name: 'canary', FunctionVersion: '2', RoutingConfig: {}, RevisionId: before.RevisionId }));
    assert.equal(moved.FunctionVersion, '2');
    assert.equal(moved.RoutingConfig, undefined);
    await endpoint.client.send(new CreateAliasCommand({ FunctionName: 'routed', Name: 'blue', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { 2: 0.5 } } }));

    assert.equal(await endpoint.stop(), 0);
    await endpoint.restart();
    const listed = await endpoint.client.send(new ListAliasesCommand({ FunctionName: 'routed' }));
    assert.deepEqual(listed.Aliases?.map((a) => [a.Name, a.FunctionVersion, a.RoutingConfig?.AdditionalVersionWeights]), [
      ['blue', '1', { 2: 0.5 }],
      ['canary', '2', undefined],
    ]);
    assert.equal((await endpoint.client.send(new InvokeCommand({ FunctionName: 'routed:canary' }))).ExecutedVersion, '2');
    const deleted = await endpoint.client.send(new DeleteAliasCommand({ FunctionName: 'routed', Name: 'blue' }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    const missing = await failure(endpoint.client.send(new GetAliasCommand({ FunctionName: 'routed', Name: 'blue' })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    assert.equal(missing.message, `Cannot find alias arn: ${ARN}:routed:blue`);
  });

  it('refuses aliases as AWS does', async () => {
    const exists = await failure(endpoint.client.send(new CreateAliasCommand({ FunctionName: 'routed', Name: 'canary', FunctionVersion: '1' })));
    assert.equal(exists.name, 'ResourceConflictException');
    assert.equal(exists.message, `Alias already exists: ${ARN}:routed:canary`);
    const numeric = await failure(endpoint.client.send(new CreateAliasCommand({ FunctionName: 'routed', Name: '5', FunctionVersion: '1' })));
    assert.equal(numeric.name, 'ValidationException');
    assert.equal(numeric.message, "1 validation error detected: Value '5' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)");
    const latest = await failure(endpoint.client.send(new CreateAliasCommand({ FunctionName: 'routed', Name: 'mixed', FunctionVersion: '$LATEST', RoutingConfig: { AdditionalVersionWeights: { 1: 0.1 } } })));
    assert.equal(latest.name, 'InvalidParameterValueException');
    const weight = await failure(endpoint.client.send(new CreateAliasCommand({ FunctionName: 'routed', Name: 'heavy', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { 2: 1.5 } } })));
    assert.equal(weight.name, 'ValidationException');
    const noVersion = await failure(endpoint.client.send(new CreateAliasCommand({ FunctionName: 'routed', Name: 'ghost', FunctionVersion: '7' })));
    assert.equal(noVersion.name, 'ResourceNotFoundException');
  });
});
