// `lambda-workbench data seed|put|list|scan` and `state reset` on the template's local tables and buckets: the built CLI, then `start` serving what was seeded.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { runCli } from '../support/cliRun';
import { startEndpoint } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/data');
const CLIENT = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 };

describe('lambda-workbench data', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-data-'));
    cpSync(FIXTURE, dir, { recursive: true });
    // Plain JSON (converted as the document client does) and DynamoDB JSON, in one file.
    writeFileSync(join(dir, 'items.json'), JSON.stringify([
      { pk: 'order#1', sk: 'line#1', status: 'new', total: 12.5, tags: ['a', 'b'] },
      { pk: { S: 'order#1' }, sk: { S: 'line#2' }, status: { S: 'paid' } },
    ]));
    writeFileSync(join(dir, 'photo.txt'), 'not really a photo');
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('seeds tables, puts objects, lists and scans them; start serves them; state reset clears them', { timeout: 120_000 }, async () => {
    const seeded = await runCli(['data', 'seed', 'Items', 'items.json'], { cwd: dir });
    assert.equal(seeded.code, 0, seeded.stderr);
    assert.equal(seeded.stdout, 'Seeded 2 items into Items.\n');
    const put = await runCli(['data', 'put', 'uploadsbucket', 'incoming/photo.txt', 'photo.txt', '--content-type', 'text/plain'], { cwd: dir });
    assert.equal(put.code, 0, put.stderr);
    assert.match(put.stdout, /^Put s3:\/\/uploadsbucket\/incoming\/photo\.txt \(18 bytes, ETag [0-9a-f]{32}\)\.\n$/);

    const listed = await runCli(['data', 'list'], { cwd: dir });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^ {2}Items {2}2 items {2}keys: pk \(HASH\), sk \(RANGE\)$/m);
    assert.match(listed.stdout, /^ {2}NotesTable {2}0 items {2}keys: noteId \(HASH\)$/m);
    assert.match(listed.stdout, /^ {2}uploadsbucket {2}1 object$/m);
    assert.match(listed.stdout, /^ {4}incoming\/photo\.txt {2}18 bytes /m);

    const scanned = await runCli(['data', 'scan', 'Items'], { cwd: dir });
    assert.equal(scanned.code, 0, scanned.stderr);
    const { Items, Count } = JSON.parse(scanned.stdout) as { Items: Record<string, unknown>[]; Count: number };
    assert.equal(Count, 2);
    assert.deepEqual(Items.find((item) => JSON.stringify(item.sk) === '{"S":"line#1"}'), {
      pk: { S: 'order#1' }, sk: { S: 'line#1' }, status: { S: 'new' }, total: { N: '12.5' }, tags: { L: [{ S: 'a' }, { S: 'b' }] },
    });

    // Mistakes are named, and nothing is written.
    const unknown = await runCli(['data', 'seed', 'Orders', 'items.json'], { cwd: dir });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /No local table named 'Orders'\. Tables: Items, NotesTable\./);
    writeFileSync(join(dir, 'wrong-key.json'), JSON.stringify([{ id: 'x' }]));
    const wrongKey = await runCli(['data', 'seed', 'Items', 'wrong-key.json'], { cwd: dir });
    assert.equal(wrongKey.code, 2);
    assert.match(wrongKey.stderr, /Items 0 to 0 could not be written to Items: ValidationException: /);
    writeFileSync(join(dir, 'broken.json'), '[{"pk": ');
    const broken = await runCli(['data', 'seed', 'Items', 'broken.json'], { cwd: dir });
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.json: The seed file is not JSON: /);

    // `start` serves what was seeded; while it holds the tables, `data seed` says so.
    const endpoint = await startEndpoint(dir, ['--api-port', '0', '--events-port', '0']);
    const dynamoDb = new DynamoDBClient({ ...CLIENT, endpoint: endpoint.url });
    const s3 = new S3Client({ ...CLIENT, endpoint: endpoint.url });
    try {
      const item = await dynamoDb.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'order#1' }, sk: { S: 'line#2' } } }));
      assert.equal(item.Item?.status?.S, 'paid');
      const object = await s3.send(new GetObjectCommand({ Bucket: 'uploadsbucket', Key: 'incoming/photo.txt' }));
      assert.equal(object.ContentType, 'text/plain');
      assert.equal(await object.Body?.transformToString(), 'not really a photo');
      const busy = await runCli(['data', 'seed', 'Items', 'items.json'], { cwd: dir });
      assert.equal(busy.code, 2);
      assert.match(busy.stderr, /cannot be opened: Database failed to open\. Another 'lambda-workbench start'/);
    } finally {
      dynamoDb.destroy();
      s3.destroy();
      assert.equal(await endpoint.stop(), 0);
    }

    const reset = await runCli(['state', 'reset'], { cwd: dir });
    assert.equal(reset.code, 0, reset.stderr);
    const empty = await runCli(['data', 'list'], { cwd: dir });
    assert.match(empty.stdout, /^ {2}Items {2}0 items /m);
    assert.match(empty.stdout, /^ {2}uploadsbucket {2}0 objects$/m);
  });
});
