// Reading a Kinesis stream with GetShardIterator and GetRecords, and deleting one: the real Kinesis SDK v3 client against `lambda-workbench start`; iterator expiry.
import { CreateStreamCommand, DeleteStreamCommand, GetRecordsCommand, ListStreamsCommand, GetShardIteratorCommand, KinesisClient, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ITERATOR_LIFETIME_MS, readShard, shardIterator } from '../../src/core/api/kinesis/shardIterators';
import { LocalStream } from '../../src/core/service/eventSources/localStream';
import { endpointOnFixture, failure } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/localServices');

describe('Kinesis GetShardIterator and GetRecords (SDK against start)', () => {
  const endpoint = endpointOnFixture(FIXTURE);

  it('reads a shard from each kind of iterator, page by page, with the records as they were put', { timeout: 120_000 }, async () => {
    const kinesis = new KinesisClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    try {
      await kinesis.send(new CreateStreamCommand({ StreamName: 'reads', ShardCount: 1 }));
      const before = Date.now();
      const put = await kinesis.send(new PutRecordsCommand({ StreamName: 'reads', Records: ['a', 'b', 'c'].map((key) => ({ PartitionKey: key, Data: Buffer.from(`data ${key} é`) })) }));
      const [a, b, c] = (put.Records ?? []).map((record) => record.SequenceNumber as string);
      const iterator = async (type: 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER' | 'AT_TIMESTAMP', extra: { StartingSequenceNumber?: string; Timestamp?: Date } = {}) =>
        (await kinesis.send(new GetShardIteratorCommand({ StreamName: 'reads', ShardId: 'shardId-000000000000', ShardIteratorType: type, ...extra }))).ShardIterator as string;
      const read = async (shardIterator: string, limit?: number) => {
        const answer = await kinesis.send(new GetRecordsCommand({ ShardIterator: shardIterator, ...(limit ? { Limit: limit } : {}) }));
        return { ...answer, keys: (answer.Records ?? []).map((record) => record.PartitionKey) };
      };

      const first = await read(await iterator('TRIM_HORIZON'), 2);
      assert.deepEqual(first.keys, ['a', 'b']);
      const record = first.Records?.[0];
      assert.equal(Buffer.from(record?.Data ?? []).toString('utf8'), 'data a é');
      assert.equal(record?.SequenceNumber, a);
      const arrived = record?.ApproximateArrivalTimestamp?.getTime() ?? 0;
      assert.ok(arrived >= before - 1000 && arrived <= Date.now(), `arrival ${arrived}`);
      assert.ok((first.MillisBehindLatest ?? -1) >= 0);
      const second = await read(first.NextShardIterator as string);
      assert.deepEqual([second.keys, second.MillisBehindLatest], [['c'], 0]);
      const caughtUp = await read(second.NextShardIterator as string);
      assert.deepEqual(caughtUp.keys, []);

      const latest = await iterator('LATEST');
      assert.deepEqual((await read(latest)).keys, []);
      await new Promise((wait) => setTimeout(wait, 20));
      const beforeD = new Date();
      const d = (await kinesis.send(new PutRecordCommand({ StreamName: 'reads', PartitionKey: 'd', Data: Buffer.from('data d') }))).SequenceNumber as string;
      assert.deepEqual((await read(latest)).keys, ['d'], 'LATEST reads what is put after it');
      assert.deepEqual((await read(caughtUp.NextShardIterator as string)).keys, ['d'], 'so does a caught-up reader');
      assert.deepEqual((await read(await iterator('AT_SEQUENCE_NUMBER', { StartingSequenceNumber: b }))).keys, ['b', 'c', 'd']);
      assert.deepEqual((await read(await iterator('AFTER_SEQUENCE_NUMBER', { StartingSequenceNumber: b }))).keys, ['c', 'd']);
      assert.deepEqual((await read(await iterator('AT_TIMESTAMP', { Timestamp: beforeD }))).keys, ['d']);
      assert.deepEqual((await read(await iterator('AFTER_SEQUENCE_NUMBER', { StartingSequenceNumber: d }))).keys, []);
      assert.ok(BigInt(c) < BigInt(d));

      const noShard = await failure(kinesis.send(new GetShardIteratorCommand({ StreamName: 'reads', ShardId: 'shardId-000000000007', ShardIteratorType: 'LATEST' })));
      assert.equal(noShard.name, 'ResourceNotFoundException');
      assert.match(noShard.message, /^Shard shardId-000000000007 in stream reads under account \d{12} does not exist/);
      const noSequence = await failure(kinesis.send(new GetShardIteratorCommand({ StreamName: 'reads', ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_SEQUENCE_NUMBER' })));
      assert.equal(noSequence.name, 'InvalidArgumentException');
      const garbage = await failure(kinesis.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' })));
      assert.deepEqual([garbage.name, garbage.message], ['InvalidArgumentException', 'Invalid ShardIterator.']);
      const noStream = await failure(kinesis.send(new GetShardIteratorCommand({ StreamName: 'nope', ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' })));
      assert.equal(noStream.name, 'ResourceNotFoundException');
    } finally {
      kinesis.destroy();
    }
  });

  it('DeleteStream removes a stream and its saved records: reads of it fail, and a restart does not bring it back', { timeout: 120_000 }, async () => {
    const client = () => new KinesisClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    let kinesis = client();
    try {
      await kinesis.send(new CreateStreamCommand({ StreamName: 'doomed', ShardCount: 1 }));
      await kinesis.send(new PutRecordCommand({ StreamName: 'doomed', PartitionKey: 'k', Data: Buffer.from('gone soon') }));
      const iterator = (await kinesis.send(new GetShardIteratorCommand({ StreamName: 'doomed', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      await kinesis.send(new DeleteStreamCommand({ StreamName: 'doomed' }));
      assert.ok(!(await kinesis.send(new ListStreamsCommand({}))).StreamNames?.includes('doomed'));
      assert.equal((await failure(kinesis.send(new GetRecordsCommand({ ShardIterator: iterator })))).name, 'ResourceNotFoundException');
      assert.equal((await failure(kinesis.send(new DeleteStreamCommand({ StreamName: 'doomed' })))).name, 'ResourceNotFoundException');
      await kinesis.send(new CreateStreamCommand({ StreamName: 'doomed', ShardCount: 1 }));
      const fresh = (await kinesis.send(new GetShardIteratorCommand({ StreamName: 'doomed', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      assert.deepEqual((await kinesis.send(new GetRecordsCommand({ ShardIterator: fresh }))).Records, [], 'a stream made again under the name starts empty');
      await kinesis.send(new DeleteStreamCommand({ StreamName: 'doomed' }));
      kinesis.destroy();
      await endpoint.restart();
      kinesis = client();
      const names = (await kinesis.send(new ListStreamsCommand({}))).StreamNames ?? [];
      assert.ok(!names.includes('doomed') && names.includes('reads'), `after the restart: ${names.join(', ')}`);
    } finally {
      kinesis.destroy();
    }
  });
});

describe('Kinesis shard iterators', () => {
  it('expire 5 minutes after they were returned; each read returns a fresh one', () => {
    const stream = new LocalStream({ kind: 'kinesis', name: 'expiring', arn: 'arn:aws:kinesis:us-east-1:123456789012:stream/expiring', shardCount: 1 });
    const shard = stream.shards[0] as LocalStream['shards'][number];
    const shardOf = () => ({ stream, shard });
    stream.putRecord(Buffer.from('x'), 'k');
    const issued = Date.UTC(2026, 11, 3, 12, 0, 0);
    const iterator = shardIterator(stream, shard, { type: 'TRIM_HORIZON' }, issued);
    const read = readShard(iterator, undefined, shardOf, issued + ITERATOR_LIFETIME_MS);
    assert.equal(read.records.length, 1, 'still valid at exactly 5 minutes');
    assert.throws(() => readShard(iterator, undefined, shardOf, issued + ITERATOR_LIFETIME_MS + 1), (error: Error) => error.name === 'ExpiredIteratorException'
      && error.message === 'Iterator expired. The iterator was created at time Thu, 03 Dec 2026 12:00:00 GMT while right now it is Thu, 03 Dec 2026 12:05:00 GMT which is further in the future than the tolerated delay of 300000 milliseconds.');
    assert.equal(readShard(read.nextShardIterator, undefined, shardOf, issued + 2 * ITERATOR_LIFETIME_MS).records.length, 0, 'the next iterator counts from its own read');
    stream.dispose();
  });
});
