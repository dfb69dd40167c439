// Lambda API event source mappings through the AWS SDK v3 client against `start`: the mappings really consume the local queues and streams.
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { templateMappingUuid } from '../../src/core/service/eventSources/eventSources';
import { endpointOnFixture, failure } from '../support/startedEndpoint';
import { waitFor } from '../support/waitFor';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/mappingApi');
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';
const API_QUEUE = 'arn:aws:sqs:us-east-1:123456789012:ApiQueue';
const TEMPLATE_QUEUE = 'arn:aws:sqs:us-east-1:123456789012:TemplateQueue';
const EVENTS_LINE = /^Event sources on (http:\/\/127\.0\.0\.1:\d+)/m;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Lambda API: event source mappings (SDK against lambda-workbench start, fed through its event sources endpoint)', () => {
  const endpoint = endpointOnFixture(FIXTURE, { readyLine: EVENTS_LINE });
  const events = (): string => EVENTS_LINE.exec(endpoint.output().stdout)?.[1] as string;

  const batches = (): string[][] => endpoint.output().stderr.split('\n')
    .filter((line) => line.includes('BATCH ['))
    .map((line) => JSON.parse(line.slice(line.indexOf('BATCH ') + 6)) as string[]);

  const send = async (queue: string, body: string): Promise<void> => {
    const sent = await fetch(`${events()}/queues/${queue}/messages`, { method: 'POST', body: JSON.stringify({ body }) });
    assert.equal(sent.status, 200);
  };

  const counts = async (queue: string): Promise<{ visible: number; inFlight: number }> =>
    ((await (await fetch(`${events()}/queues/${queue}/messages`)).json()) as { counts: { visible: number; inFlight: number } }).counts;

  it('lists the template mappings with stable UUIDs', async () => {
    const listed = await endpoint.client.send(new ListEventSourceMappingsCommand({}));
    assert.deepEqual(listed.EventSourceMappings?.map((m) => [m.UUID, m.EventSourceArn, m.FunctionArn, m.BatchSize, m.State]), [
      [templateMappingUuid('TemplateConsumer.Queue'), TEMPLATE_QUEUE, `${ARN}:TemplateConsumer`, 4, 'Enabled'],
    ]);
    const got = await endpoint.client.send(new GetEventSourceMappingCommand({ UUID: templateMappingUuid('TemplateConsumer.Queue') }));
    assert.equal(got.StateTransitionReason, 'USER_INITIATED');
    assert.ok(got.LastModified instanceof Date);
  });

  it('creates a mapping (Creating, then Enabled) that consumes the queue, with its FilterCriteria applied', { timeout: 90_000 }, async () => {
    const { client } = endpoint;
    const created = await client.send(new CreateEventSourceMappingCommand({
      FunctionName: 'Consumer',
      EventSourceArn: API_QUEUE,
      BatchSize: 5,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: { kind: ['order'] } }) }] },
    }));
    assert.equal(created.$metadata.httpStatusCode, 202);
    assert.match(created.UUID ?? '', UUID);
    assert.equal(created.State, 'Creating');
    assert.equal(created.FunctionArn, `${ARN}:Consumer`);
    assert.equal(created.BatchSize, 5);
    assert.equal(created.MaximumBatchingWindowInSeconds, 0);
    assert.equal(created.EventSourceMappingArn, `arn:aws:lambda:us-east-1:123456789012:event-source-mapping:${created.UUID}`);
    assert.equal((await client.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).State, 'Enabled');

    await send('ApiQueue', JSON.stringify({ kind: 'noise', id: 1 }));
    await send('ApiQueue', JSON.stringify({ kind: 'order', id: 2 }));
    await waitFor(async () => batches().some((batch) => batch.includes('{"kind":"order","id":2}')), 60_000, 'the order to reach Consumer');
    await waitFor(async () => {
      const now = await counts('ApiQueue');
      return now.visible + now.inFlight === 0;
    }, 60_000, 'the queue to drain');
    assert.ok(!batches().flat().some((body) => body.includes('noise')), 'the filtered-out message never reaches the function');

    const duplicate = await failure(client.send(new CreateEventSourceMappingCommand({ FunctionName: 'Consumer', EventSourceArn: API_QUEUE })));
    assert.equal(duplicate.name, 'ResourceConflictException');
    assert.equal(duplicate.message,
      `An event source mapping with SQS arn (" ${API_QUEUE} ") and function (" Consumer ") already exists. Please update or delete the existing mapping with UUID ${created.UUID}`);
  });

  it('disables (Disabling, then Disabled: messages wait) and enables again (the waiting message is consumed)', { timeout: 90_000 }, async () => {
    const { client } = endpoint;
    const [mapping] = (await client.send(new ListEventSourceMappingsCommand({ EventSourceArn: API_QUEUE }))).EventSourceMappings ?? [];
    const disabling = await client.send(new UpdateEventSourceMappingCommand({ UUID: mapping?.UUID, Enabled: false }));
    assert.equal(disabling.State, 'Disabling');
    assert.equal((await client.send(new GetEventSourceMappingCommand({ UUID: mapping?.UUID }))).State, 'Disabled');
    await send('ApiQueue', JSON.stringify({ kind: 'order', id: 3 }));
    // Another mapping's batch shows the pollers are running while this one's message stays in its queue.
    await send('TemplateQueue', 'template message');
    await waitFor(() => batches().some((batch) => batch.includes('template message')), 60_000, 'the template mapping to consume');
    const waiting = await counts('ApiQueue');
    assert.equal(waiting.visible, 1, 'a disabled mapping leaves its messages in the queue');
    assert.equal(waiting.inFlight, 0);

    const enabling = await client.send(new UpdateEventSourceMappingCommand({ UUID: mapping?.UUID, Enabled: true, BatchSize: 10 }));
    assert.equal(enabling.State, 'Enabling');
    assert.equal(enabling.BatchSize, 10);
    await waitFor(() => batches().some((batch) => batch.includes('{"kind":"order","id":3}')), 60_000, 'the waiting message after enabling');
    assert.equal((await client.send(new GetEventSourceMappingCommand({ UUID: mapping?.UUID }))).State, 'Enabled');
  });

  it('validates requests as Lambda does', async () => {
    const { client } = endpoint;
    const noFunction = await failure(client.send(new CreateEventSourceMappingCommand({ FunctionName: 'Missing', EventSourceArn: API_QUEUE })));
    assert.equal(noFunction.name, 'InvalidParameterValueException');
    assert.equal(noFunction.message, 'Function does not exist');
    const bigBatch = await failure(client.send(new CreateEventSourceMappingCommand({ FunctionName: 'TemplateConsumer', EventSourceArn: API_QUEUE, BatchSize: 20 })));
    assert.equal(bigBatch.name, 'InvalidParameterValueException');
    assert.equal(bigBatch.message, 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
    const noPosition = await failure(client.send(new CreateEventSourceMappingCommand({
      FunctionName: 'Consumer',
      EventSourceArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/Clicks',
    })));
    assert.equal(noPosition.name, 'InvalidParameterValueException');
    assert.match(noPosition.message, /Value null at 'startingPosition' failed to satisfy constraint: Member must not be null/);
    const tooBig = await failure(client.send(new CreateEventSourceMappingCommand({ FunctionName: 'Consumer', EventSourceArn: API_QUEUE, BatchSize: 10_001 })));
    assert.equal(tooBig.name, 'ValidationException');
    assert.match(tooBig.message, /Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000/);
    const unknown = await failure(client.send(new GetEventSourceMappingCommand({ UUID: '00000000-0000-4000-8000-000000000000' })));
    assert.equal(unknown.name, 'ResourceNotFoundException');
    assert.equal(unknown.$metadata?.httpStatusCode, 404);
    assert.equal(unknown.message, 'The resource you requested does not exist.');
  });

  it('maps a Kinesis stream from TRIM_HORIZON, pages the list, deletes (Deleting, then gone), and keeps API mappings across a restart', { timeout: 120_000 }, async () => {
    const { client } = endpoint;
    const stream = await client.send(new CreateEventSourceMappingCommand({
      FunctionName: 'Consumer',
      EventSourceArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/Clicks',
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 2,
    }));
    assert.equal(stream.StartingPosition, 'TRIM_HORIZON');
    assert.equal(stream.MaximumRetryAttempts, -1);
    const put = await fetch(`${events()}/streams/Clicks/records`, { method: 'POST', body: JSON.stringify({ data: 'click-1', partitionKey: 'p' }) });
    assert.equal(put.status, 200);
    await waitFor(() => batches().some((batch) => batch.includes('click-1')), 60_000, 'the Kinesis record to reach Consumer');

    const byFunction = await client.send(new ListEventSourceMappingsCommand({ FunctionName: 'Consumer', MaxItems: 1 }));
    assert.equal(byFunction.EventSourceMappings?.length, 1);
    assert.ok(byFunction.NextMarker);
    const rest = await client.send(new ListEventSourceMappingsCommand({ FunctionName: 'Consumer', Marker: byFunction.NextMarker }));
    assert.equal(rest.EventSourceMappings?.length, 1);
    assert.equal(rest.NextMarker, undefined);

    const deleting = await client.send(new DeleteEventSourceMappingCommand({ UUID: stream.UUID }));
    assert.equal(deleting.State, 'Deleting');
    assert.equal((await failure(client.send(new GetEventSourceMappingCommand({ UUID: stream.UUID })))).name, 'ResourceNotFoundException');
    const template = await failure(client.send(new DeleteEventSourceMappingCommand({ UUID: templateMappingUuid('TemplateConsumer.Queue') })));
    assert.equal(template.name, 'InvalidParameterValueException');

    const before = (await client.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings?.map((m) => [m.UUID, m.BatchSize, m.State]);
    assert.equal(await endpoint.stop(), 0);
    await endpoint.restart();
    const afterRestart = (await endpoint.client.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings?.map((m) => [m.UUID, m.BatchSize, m.State]);
    assert.deepEqual(afterRestart, before);
    await send('ApiQueue', JSON.stringify({ kind: 'order', id: 4 }));
    await waitFor(() => batches().some((batch) => batch.includes('{"kind":"order","id":4}')), 60_000, 'the restored mapping to consume');
  });
});
