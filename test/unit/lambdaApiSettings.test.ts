// Lambda API concurrency, provisioned concurrency, account settings, event invoke configs and tags through the AWS SDK v3 client against `start`.
import {
  DeleteFunctionConcurrencyCommand,
  DeleteFunctionEventInvokeConfigCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionEventInvokeConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  ListFunctionEventInvokeConfigsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListTagsCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  PutProvisionedConcurrencyConfigCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { endpointOnFixture, failure } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/lambdaApi');
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';

describe('Lambda API: concurrency, event invoke configs and tags (SDK against lambda-workbench start)', () => {
  const endpoint = endpointOnFixture(FIXTURE);

  it('puts, reads and deletes reserved concurrency; 0 throttles; the account keeps 100 unreserved', { timeout: 60_000 }, async () => {
    const { client } = endpoint;
    assert.deepEqual((await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'TemplateFunction', ReservedConcurrentExecutions: 0 }))).ReservedConcurrentExecutions, 0);
    const throttled = await failure(client.send(new InvokeCommand({ FunctionName: 'TemplateFunction' })));
    assert.equal(throttled.name, 'TooManyRequestsException');
    assert.equal(throttled.$metadata?.httpStatusCode, 429);
    await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'TemplateFunction', ReservedConcurrentExecutions: 5 }));
    assert.equal((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'TemplateFunction' }))).ReservedConcurrentExecutions, 5);
    assert.equal((await client.send(new GetFunctionCommand({ FunctionName: 'TemplateFunction' }))).Concurrency?.ReservedConcurrentExecutions, 5);
    assert.equal((await client.send(new InvokeCommand({ FunctionName: 'TemplateFunction' }))).StatusCode, 200);
    const settings = await client.send(new GetAccountSettingsCommand({}));
    assert.equal(settings.AccountLimit?.ConcurrentExecutions, 1000);
    assert.equal(settings.AccountLimit?.UnreservedConcurrentExecutions, 995);
    assert.equal(settings.AccountUsage?.FunctionCount, 2);
    const tooMuch = await failure(client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'AliasedFunction', ReservedConcurrentExecutions: 896 })));
    assert.equal(tooMuch.name, 'InvalidParameterValueException');
    assert.equal(tooMuch.message, "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].");
    await client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'TemplateFunction' }));
    assert.equal((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'TemplateFunction' }))).ReservedConcurrentExecutions, undefined);
  });

  it('provisions concurrency on an alias: IN_PROGRESS, then READY with the environments initialised', { timeout: 90_000 }, async () => {
    const { client } = endpoint;
    const put = await client.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'AliasedFunction', Qualifier: 'live', ProvisionedConcurrentExecutions: 2 }));
    assert.equal(put.$metadata.httpStatusCode, 202);
    assert.equal(put.Status, 'IN_PROGRESS');
    assert.equal(put.RequestedProvisionedConcurrentExecutions, 2);
    let status: string | undefined = put.Status;
    while (status === 'IN_PROGRESS') {
      await new Promise((wake) => setTimeout(wake, 200));
      status = (await client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'AliasedFunction', Qualifier: 'live' }))).Status;
    }
    const ready = await client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'AliasedFunction', Qualifier: 'live' }));
    assert.equal(ready.Status, 'READY');
    assert.equal(ready.AllocatedProvisionedConcurrentExecutions, 2);
    const listed = await client.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'AliasedFunction' }));
    assert.deepEqual(listed.ProvisionedConcurrencyConfigs?.map((c) => c.FunctionArn), [`${ARN}:AliasedFunction:live`]);
    // The provisioned environment already ran its init: no Init Duration in the REPORT line.
    const output = await client.send(new InvokeCommand({ FunctionName: 'AliasedFunction:live', LogType: 'Tail' }));
    assert.doesNotMatch(Buffer.from(output.LogResult ?? '', 'base64').toString(), /Init Duration/);

    const latest = await failure(client.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'AliasedFunction', Qualifier: '$LATEST', ProvisionedConcurrentExecutions: 1 })));
    assert.equal(latest.name, 'InvalidParameterValueException');
    await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'AliasedFunction', ReservedConcurrentExecutions: 1 }));
    const above = await failure(client.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'AliasedFunction', Qualifier: '1', ProvisionedConcurrentExecutions: 3 })));
    assert.equal(above.name, 'InvalidParameterValueException');
    await client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'AliasedFunction' }));

    await client.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'AliasedFunction', Qualifier: 'live' }));
    const gone = await failure(client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'AliasedFunction', Qualifier: 'live' })));
    assert.equal(gone.name, 'ProvisionedConcurrencyConfigNotFoundException');
    assert.equal(gone.message, 'No Provisioned Concurrency Config found for this function');
  });

  it('puts, updates, lists and deletes event invoke configs per qualifier', async () => {
    const { client } = endpoint;
    const put = await client.send(new PutFunctionEventInvokeConfigCommand({
      FunctionName: 'TemplateFunction', MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: `${ARN}:AliasedFunction` } },
    }));
    assert.equal(put.FunctionArn, `${ARN}:TemplateFunction:$LATEST`);
    assert.equal(put.MaximumRetryAttempts, 1);
    assert.ok(put.LastModified instanceof Date);
    const updated = await client.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'TemplateFunction', MaximumEventAgeInSeconds: 120 }));
    assert.equal(updated.MaximumRetryAttempts, 1);
    assert.equal(updated.MaximumEventAgeInSeconds, 120);
    assert.equal(updated.DestinationConfig?.OnFailure?.Destination, `${ARN}:AliasedFunction`);
    await client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'AliasedFunction', Qualifier: 'live', MaximumRetryAttempts: 0 }));
    const listed = await client.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'AliasedFunction' }));
    assert.deepEqual(listed.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn), [`${ARN}:AliasedFunction:live`]);
    const invalid = await failure(client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'TemplateFunction', MaximumRetryAttempts: 3 })));
    assert.equal(invalid.name, 'ValidationException');
    assert.equal(invalid.message, "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2");
    await client.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'TemplateFunction' }));
    const missing = await failure(client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'TemplateFunction' })));
    assert.equal(missing.name, 'ResourceNotFoundException');
  });

  it('tags functions and keeps the tags across a restart', { timeout: 90_000 }, async () => {
    const resource = `${ARN}:TemplateFunction`;
    await endpoint.client.send(new TagResourceCommand({ Resource: resource, Tags: { team: 'api', stage: 'dev' } }));
    await endpoint.client.send(new UntagResourceCommand({ Resource: resource, TagKeys: ['stage'] }));
    assert.equal(await endpoint.stop(), 0);
    await endpoint.restart();
    assert.deepEqual((await endpoint.client.send(new ListTagsCommand({ Resource: resource }))).Tags, { team: 'api' });
    assert.deepEqual((await endpoint.client.send(new GetFunctionCommand({ FunctionName: 'TemplateFunction' }))).Tags, { team: 'api' });
    const qualified = await failure(endpoint.client.send(new TagResourceCommand({ Resource: `${resource}:1`, Tags: { a: 'b' } })));
    assert.equal(qualified.name, 'InvalidParameterValueException');
  });
});
