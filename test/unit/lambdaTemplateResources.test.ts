// A plain CloudFormation template's AWS::Lambda::* resources, read and emulated by `start`, seen through the AWS SDK v3 client.
import {
  GetAliasCommand,
  GetFunctionEventInvokeConfigCommand,
  ListEventSourceMappingsCommand,
  ListFunctionUrlConfigsCommand,
  ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { templateMappingUuid } from '../../src/core/service/eventSources/eventSources';
import { endpointOnFixture } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/lambdaResources');

describe('template AWS::Lambda::* resources (lambda-workbench start, SDK)', () => {
  const endpoint = endpointOnFixture(FIXTURE);

  it('names the resources it does not emulate once, with their locations, and the permission it accepts', () => {
    const { stderr } = endpoint.output();
    const template = join(endpoint.dir, 'template.yaml');
    const leftOut = stderr.split('\n').filter((line) => line.includes('Not emulated locally'));
    assert.equal(leftOut.length, 1, stderr);
    assert.match(leftOut[0] as string, new RegExp(`WorkerRole \\(AWS::IAM::Role\\) at ${template}:13; Alerts \\(AWS::SNS::Topic\\) at ${template}:54`));
    assert.match(stderr, new RegExp(`Accepted without effect \\(resource policies are not enforced locally\\): WorkerPermission \\(AWS::Lambda::Permission\\) at ${template}:48`));
    assert.doesNotMatch(stderr, /WorkerVersion \(|WorkerLive \(|WorkerUrl \(|WorkerMapping \(|WorkerAsync \(/);
  });

  it('publishes the Version, points the Alias at it and serves the Url on the alias', { timeout: 60_000 }, async () => {
    const { client } = endpoint;
    const versions = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'worker' }));
    assert.deepEqual(versions.Versions?.map((v) => [v.Version, v.Description]), [['$LATEST', ''], ['1', 'first release']]);
    assert.equal((await client.send(new GetAliasCommand({ FunctionName: 'worker', Name: 'live' }))).FunctionVersion, '1');
    const urls = await client.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'worker' }));
    assert.equal(urls.FunctionUrlConfigs?.length, 1);
    const url = urls.FunctionUrlConfigs?.[0];
    assert.equal(url?.FunctionArn, 'arn:aws:lambda:us-east-1:123456789012:function:worker:live');
    const reply = await fetch(url?.FunctionUrl as string);
    assert.equal(reply.status, 200);
    assert.deepEqual(await reply.json(), { version: '1' });
  });

  it('runs the EventSourceMapping and applies the EventInvokeConfig', { timeout: 60_000 }, async () => {
    const { client } = endpoint;
    const mappings = await client.send(new ListEventSourceMappingsCommand({ FunctionName: 'worker' }));
    assert.deepEqual(mappings.EventSourceMappings?.map((m) => [m.UUID, m.EventSourceArn, m.BatchSize, m.State]), [
      [templateMappingUuid('Worker.WorkerMapping'), 'arn:aws:sqs:us-east-1:123456789012:WorkerQueue', 2, 'Enabled'],
    ]);
    const events = /^Event sources on (http:\/\/127\.0\.0\.1:\d+)/m.exec(endpoint.output().stdout)?.[1];
    const sent = await fetch(`${events}/queues/WorkerQueue/messages`, { method: 'POST', body: JSON.stringify({ body: 'job-1' }) });
    assert.equal(sent.status, 200);
    const deadline = Date.now() + 60_000;
    while (!endpoint.output().stderr.includes('BATCH ["job-1"]')) {
      if (Date.now() > deadline) throw new Error(`the mapping did not deliver job-1:\n${endpoint.output().stderr}`);
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    }
    const asyncConfig = await client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'worker' }));
    assert.equal(asyncConfig.MaximumRetryAttempts, 0);
  });
});
