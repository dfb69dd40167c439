// Stream journals in the state directory: each record appended as a line and read back, a last record torn by a crash,
// a damaged line, and a mapping whose saved position counts a record the journal lost (it goes on from the shard's end).
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import { EventSources, templateMappingUuid } from '../../src/core/service/eventSources/eventSources';
import { LocalStream, type StreamSnapshot } from '../../src/core/service/eventSources/localStream';
import type { BatchReport } from '../../src/core/service/eventSources/pollerContext';
import { StreamState } from '../../src/core/service/eventSources/streamState';
import type { StreamDefinition } from '../../src/core/service/eventSources/templateResources';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import { LambdaService } from '../../src/core/service/lambdaService';
import { StateStore, stateRoot } from '../../src/core/state/stateStore';
import { waitFor } from '../support/waitFor';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/eventSources');
const ORDERS: StreamDefinition = { kind: 'kinesis', name: 'Orders', arn: 'arn:aws:kinesis:us-east-1:123456789012:stream/Orders', shardCount: 2 };
/** A record's line cut short, as a crash in the middle of its append leaves it. */
const TORN_LINE = '{"shardId":"shardId-000000000000","sequenceNumber":"4959033827149025';

/** Each shard's records' data, as text. */
function dataByShard(snapshot: StreamSnapshot | undefined): string[][] {
  const stream = new LocalStream(snapshot?.definition ?? ORDERS, snapshot);
  return stream.shards.map((shard) => shard.records.map((record) => (record.content.kind === 'kinesis' ? record.content.data.toString() : '')));
}

describe('stream journals', () => {
  let stateDir: string;
  let store: StateStore;
  let journal: string;

  beforeEach(() => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'lwb-journal-'));
    store = new StateStore(stateRoot(stateDir));
    journal = path.join(store.dir('streams'), 'Orders.jsonl');
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  /** A run that keeps a stream (restored from `snapshot`), puts `data` on it and waits until the records are on disk. */
  async function run(data: string[], snapshot?: StreamSnapshot): Promise<LocalStream> {
    const state = new StreamState(store);
    const stream = new LocalStream(ORDERS, snapshot);
    state.keep(stream);
    for (const item of data) stream.putRecord(Buffer.from(item), `key-${item}`);
    await state.saved();
    return stream;
  }

  it('writes the definition, then one line per record, and restores the stream with sequence numbers going on after its highest', async () => {
    const first = await run(['a', 'b', 'c', 'd']);
    const lines = readFileSync(journal, 'utf8').split('\n');
    assert.equal(lines.length, 6, 'the definition, four records and the final newline');
    assert.deepEqual(JSON.parse(lines[0] as string).definition, ORDERS);

    const loaded = await new StreamState(store).load();
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(dataByShard(loaded.streams.get('Orders')), first.shards.map((shard) => shard.records.map((record) => (record.content.kind === 'kinesis' ? record.content.data.toString() : ''))));
    const highest = first.shards.flatMap((shard) => shard.records).reduce((max, record) => (BigInt(record.sequenceNumber) > max ? BigInt(record.sequenceNumber) : max), 0n);
    const next = new LocalStream(ORDERS, loaded.streams.get('Orders')).putRecord(Buffer.from('e'), 'key-e');
    assert.equal(BigInt(next.sequenceNumber), highest + 1n);
  });

  it('leaves out a last record torn by a crash without a warning, and the next run appends on a clean line', async () => {
    await run(['a', 'b']);
    appendFileSync(journal, TORN_LINE);
    const afterCrash = await new StreamState(store).load();
    assert.deepEqual(afterCrash.problems, [], 'a torn last line is an append that was never acknowledged');
    assert.deepEqual(dataByShard(afterCrash.streams.get('Orders')).flat().sort(), ['a', 'b']);

    // The next run writes the restored stream's journal whole (the torn line goes) before its own appends.
    await run(['c'], afterCrash.streams.get('Orders'));
    const next = await new StreamState(store).load();
    assert.deepEqual(next.problems, []);
    assert.deepEqual(dataByShard(next.streams.get('Orders')).flat().sort(), ['a', 'b', 'c']);
  });

  it('names a damaged line before the last one and restores the records around it', async () => {
    await run(['a', 'b']);
    const [header, first, second] = readFileSync(journal, 'utf8').split('\n');
    writeFileSync(journal, `${header}\n${first}\nnot a record\n${second}\n`);
    const loaded = await new StreamState(store).load();
    assert.deepEqual(loaded.problems, [`${journal}: line 3 is not a JSON record; it is skipped.`]);
    assert.deepEqual(dataByShard(loaded.streams.get('Orders')).flat().sort(), ['a', 'b']);
  });

  it('a mapping whose saved position counts a record lost with a torn line goes on from the end of the shard\'s records', async () => {
    const registry = await FunctionRegistry.fromTemplates([path.join(fixtures, 'template.yaml')]);
    const service = new LambdaService(registry, { backend: new ProcessBackend(), stateDir });
    const delivered: string[][] = [];
    const onBatch = (report: BatchReport) => {
      if (report.functionName !== 'KinesisFunction') return;
      const records = report.event.Records as Array<{ kinesis: { data: string } }>;
      delivered.push(records.map((record) => Buffer.from(record.kinesis.data, 'base64').toString()));
    };
    const start = async () => {
      const sources = await EventSources.start(service, registry, { timeScale: 0.02, state: store });
      sources.onDidProcessBatch(onBatch);
      return sources;
    };
    try {
      const first = await start();
      const mapping = first.mappings.find((entry) => entry.functionName === 'KinesisFunction');
      assert.ok(mapping, 'the fixture maps OrdersStream to KinesisFunction');
      const uuid = templateMappingUuid(mapping.id);
      for (const data of ['r1', 'r2', 'r3']) first.putRecord('OrdersStream', Buffer.from(data), 'one-key');
      await first.recordsSaved();
      const position = async () => (await new StreamState(store).load()).positions.get(uuid)?.get('shardId-000000000000');
      await waitFor(async () => (await position()) === 3, 30_000, 'the mapping to save its position after r3');
      await first.dispose();

      // A crash tore r3's line after the mapping had finished it: the saved position (3) is past the 2 records restored.
      const file = path.join(store.dir('streams'), 'OrdersStream.jsonl');
      const lines = readFileSync(file, 'utf8').split('\n');
      writeFileSync(file, `${lines.slice(0, 3).join('\n')}\n${(lines[3] as string).slice(0, 40)}`);
      delivered.length = 0;
      const second = await start();
      try {
        second.putRecord('OrdersStream', Buffer.from('r4'), 'one-key');
        await waitFor(() => delivered.flat().includes('r4'), 30_000, `r4 to be delivered; batches so far: ${JSON.stringify(delivered)}`);
        assert.deepEqual(delivered, [['r4']], 'r4 only: nothing finished runs again, and the new record is not skipped');
      } finally {
        await second.dispose();
      }
    } finally {
      await service.dispose();
    }
  });
});
