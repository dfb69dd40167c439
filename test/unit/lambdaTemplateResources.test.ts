// A plain CloudFormation template's AWS::Lambda::* resources, read and emulated by `start`, seen through the AWS SDK v3 client.
import {
  GetAliasCommand,
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
  ListFunctionEventInvokeConfigsCommand,
  ListEventSourceMappingsCommand,
  ListFunctionUrlConfigsCommand,
  ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { templateMappingUuid } from '../../src/core/service/eventSources/eventSources';
import { endpointOnFixture, failure } from '../support/startedEndpoint';
import { waitFor } from '../support/waitFor';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/lambdaResources');

describe('template AWS::Lambda::* resources (lambda-workbench start, SDK)', () => {
  const endpoint = endpointOnFixture(FIXTURE);

  it('names the resources it does not emulate once, with their locations, and the permission it accepts', () => {
    const { stderr } = endpoint.output();
    const template = join(endpoint.dir, 'template.yaml');
    const leftOut = stderr.split('\n').filter((line) => line.includes('Not emulated locally'));
    assert.equal(leftOut.length, 1, stderr);
    assert.match(leftOut[0] as string, new RegExp(`WorkerRole \\(AWS::IAM::Role\\) at ${template}:13; Alerts \\(AWS::CloudWatch::Alarm\\) at ${template}:54`));
    assert.match(stderr, new RegExp(`Accepted without effect \\(resource policies are not enforced locally\\): WorkerPermission \\(AWS::Lambda::Permission\\) at ${template}:48`));
    assert.doesNotMatch(stderr, /WorkerVersion \(|WorkerLive \(|WorkerUrl \(|WorkerMapping \(|WorkerAsync \(|WorkerLiveAsync \(|WorkerVersionAsync \(/);
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

  it('applies each EventInvokeConfig to its Qualifier: $LATEST, the alias, and the version !GetAtt names', async () => {
    const { client } = endpoint;
    const listed = await client.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'worker' }));
    assert.deepEqual(listed.FunctionEventInvokeConfigs?.map((c) => [c.FunctionArn, c.MaximumRetryAttempts, c.MaximumEventAgeInSeconds]).sort(), [
      ['arn:aws:lambda:us-east-1:123456789012:function:worker:$LATEST', 0, undefined],
      ['arn:aws:lambda:us-east-1:123456789012:function:worker:1', undefined, 120],
      ['arn:aws:lambda:us-east-1:123456789012:function:worker:live', 1, undefined],
    ]);
    const live = await client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'worker', Qualifier: 'live' }));
    assert.equal(live.MaximumRetryAttempts, 1);
  });
});

describe('SAM EventInvokeConfig on a function with AutoPublishAlias (lambda-workbench start, SDK)', () => {
  const endpoint = endpointOnFixture(undefined, {
    prepare: (dir) => {
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, 'src', 'app.js'), [
        'exports.notify = async () => ({ notified: true });',
        'exports.record = async (event) => { console.log(`RECORDED ${event.requestContext.functionArn} ${event.requestContext.condition}`); };',
        '',
      ].join('\n'));
      writeFileSync(join(dir, 'template.yaml'), [
        'Transform: AWS::Serverless-2016-10-31',
        'Globals:',
        '  Function:',
        '    Runtime: nodejs20.x',
        '    CodeUri: src/',
        'Resources:',
        '  Notifier:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      Handler: app.notify',
        '      AutoPublishAlias: live',
        '      EventInvokeConfig:',
        '        MaximumRetryAttempts: 0',
        '        DestinationConfig:',
        '          OnSuccess:',
        '            Type: Lambda',
        '            Destination: !GetAtt Recorder.Arn',
        '  Recorder:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      Handler: app.record',
        '',
      ].join('\n'));
    },
  });

  it('is the alias\'s config, as SAM attaches it: an Event invocation of the alias reaches its destination; $LATEST has none', { timeout: 90_000 }, async () => {
    const { client } = endpoint;
    const config = await client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'Notifier', Qualifier: 'live' }));
    assert.equal(config.FunctionArn, 'arn:aws:lambda:us-east-1:123456789012:function:Notifier:live');
    assert.equal(config.MaximumRetryAttempts, 0);
    assert.equal(config.DestinationConfig?.OnSuccess?.Destination, 'arn:aws:lambda:us-east-1:123456789012:function:Recorder');
    const latest = await failure(client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'Notifier' })));
    assert.equal(latest.name, 'ResourceNotFoundException');

    const accepted = await client.send(new InvokeCommand({ FunctionName: 'Notifier', Qualifier: 'live', InvocationType: 'Event' }));
    assert.equal(accepted.StatusCode, 202);
    // The record names the version the alias ran (version 1, published at load).
    const recorded = 'RECORDED arn:aws:lambda:us-east-1:123456789012:function:Notifier:1 Success';
    await waitFor(() => endpoint.output().stderr.includes(recorded), 60_000, "the alias's OnSuccess destination to be invoked");
  });
});
