// `lambda-workbench start` with the template's DynamoDB tables and S3 bucket: the real AWS SDK v3 clients against the built CLI's endpoint.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  BatchWriteItemCommand, DeleteItemCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { validateEvent } from '../../src/core/events';
import { startEndpoint, type StartedEndpoint } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/data');
const REPO_MODULES = resolve(__dirname, '../../../node_modules');
/** Any credentials sign in; the region is not the endpoint's either. */
const CLIENT = { region: 'eu-west-1', credentials: { accessKeyId: 'AKIAANYKEY', secretAccessKey: 'any-secret' }, maxAttempts: 1 };
const ITEM_KEY = { pk: { S: 'order#1' }, sk: { S: 'line#1' } };

/** The JSON of the first log line `<marker> {...}` in `output`. */
function loggedJson(output: string, marker: string): Record<string, unknown> {
  const line = output.split('\n').find((text) => text.includes(`\t${marker} `));
  assert.ok(line, `no ${marker} line in:\n${output}`);
  return JSON.parse(line.slice(line.indexOf(`${marker} `) + marker.length + 1)) as Record<string, unknown>;
}

/** Resolves once `output()` holds `count` lines with `marker`. */
async function logged(endpoint: StartedEndpoint, marker: string, count = 1): Promise<string[]> {
  for (;;) {
    const lines = endpoint.output().stderr.split('\n').filter((line) => line.includes(`\t${marker} `));
    if (lines.length >= count) return lines;
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
}

describe('lambda-workbench start with DynamoDB and S3 of the template', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-data-cli-'));
    cpSync(FIXTURE, dir, { recursive: true });
    // The functions bundle the AWS SDK with esbuild (BuildMethod: esbuild), from the project's node_modules.
    symlinkSync(REPO_MODULES, join(dir, 'node_modules'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the tables and bucket, feeds streams and notifications, and keeps the data across a restart', { timeout: 240_000 }, async () => {
    let endpoint = await startEndpoint(dir, ['--api-port', '0', '--events-port', '0']);
    try {
      const { stdout } = endpoint.output();
      assert.match(stdout, /^DynamoDB on http:\/\/127\.0\.0\.1:\d+ \(AWS_ENDPOINT_URL_DYNAMODB\):$/m);
      assert.match(stdout, /^ {2}table Items {2}stream NEW_AND_OLD_IMAGES$/m);
      assert.match(stdout, /^ {2}bucket uploadsbucket$/m);
      const dynamoDb = new DynamoDBClient({ ...CLIENT, endpoint: endpoint.url });
      const s3 = new S3Client({ ...CLIENT, endpoint: endpoint.url });
      try {
        // Tables of the template with their keys and indexes; the SimpleTable named after its logical id.
        assert.deepEqual((await dynamoDb.send(new ListTablesCommand({}))).TableNames, ['Items', 'NotesTable']);
        const items = (await dynamoDb.send(new DescribeTableCommand({ TableName: 'Items' }))).Table;
        assert.deepEqual(items?.KeySchema, [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]);
        assert.equal(items?.GlobalSecondaryIndexes?.[0]?.IndexName, 'byStatus');
        // The ARN !GetAtt ItemsTable.Arn gives the functions.
        assert.equal(items?.TableArn, 'arn:aws:dynamodb:us-east-1:123456789012:table/Items');
        const notes = (await dynamoDb.send(new DescribeTableCommand({ TableName: 'NotesTable' }))).Table;
        assert.deepEqual(notes?.KeySchema, [{ AttributeName: 'noteId', KeyType: 'HASH' }]);
        await dynamoDb.send(new PutItemCommand({ TableName: 'NotesTable', Item: { noteId: { S: 'kept' }, text: { S: 'across restarts' } } }));

        // A handler writes an item with its own SDK client, through AWS_ENDPOINT_URL_DYNAMODB; !Ref and !GetAtt resolved locally.
        const written = await endpoint.client.send(new InvokeCommand({ FunctionName: 'WriteFunction', Payload: JSON.stringify({ pk: 'order#1', sk: 'line#1', status: 'new' }) }));
        assert.equal(written.FunctionError, undefined, Buffer.from(written.Payload ?? []).toString());
        assert.deepEqual(JSON.parse(Buffer.from(written.Payload ?? []).toString()), {
          written: 'Items',
          endpoint: true,
          streamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/Items/stream/1970-01-01T00:00:00.000',
        });
        const stored = await dynamoDb.send(new GetItemCommand({ TableName: 'Items', Key: ITEM_KEY }));
        assert.deepEqual(stored.Item, { ...ITEM_KEY, status: { S: 'new' } });

        // Its stream record reaches StreamFunction (INSERT), then a change (MODIFY, both images) and a removal (REMOVE).
        await dynamoDb.send(new UpdateItemCommand({
          TableName: 'Items',
          Key: ITEM_KEY,
          UpdateExpression: 'SET #status = :done',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':done': { S: 'done' } },
        }));
        await dynamoDb.send(new DeleteItemCommand({ TableName: 'Items', Key: ITEM_KEY }));
        // A batch inserts two items; writing one of them again unchanged makes no record (as DynamoDB), a deletion does.
        const second = { pk: { S: 'order#3' }, sk: { S: 'line#1' }, status: { S: 'new' } };
        const third = { pk: { S: 'order#4' }, sk: { S: 'line#1' }, status: { S: 'new' } };
        await dynamoDb.send(new BatchWriteItemCommand({ RequestItems: { Items: [{ PutRequest: { Item: second } }, { PutRequest: { Item: third } }] } }));
        await dynamoDb.send(new PutItemCommand({ TableName: 'Items', Item: second }));
        await dynamoDb.send(new DeleteItemCommand({ TableName: 'Items', Key: { pk: third.pk, sk: third.sk } }));
        const records = (await logged(endpoint, 'STREAM_RECORD', 6)).map((line) => loggedJson(line, 'STREAM_RECORD'));
        assert.deepEqual(records.map((record) => record.eventName), ['INSERT', 'MODIFY', 'REMOVE', 'INSERT', 'INSERT', 'REMOVE']);
        assert.deepEqual(records.slice(3).map((record) => (record.dynamodb as { Keys: unknown }).Keys), [
          { pk: second.pk, sk: second.sk }, { pk: third.pk, sk: third.sk }, { pk: third.pk, sk: third.sk },
        ]);
        // What dynalite does not implement is refused as DynamoDB refuses an unknown operation.
        await assert.rejects(
          dynamoDb.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Items', Item: second } }] })),
          (error: Error & { $metadata?: { requestId?: string } }) => error.name === 'UnknownOperationException' && /TransactWriteItems is not served by the local DynamoDB/.test(error.message)
            // Every DynamoDB answer carries x-amzn-RequestId, this refusal too.
            && /^[0-9a-f-]{36}$/.test(error.$metadata?.requestId ?? ''),
        );
        const [insert, modify, remove] = records.map((record) => record.dynamodb as Record<string, unknown>);
        assert.deepEqual(insert.Keys, ITEM_KEY);
        assert.deepEqual(insert.NewImage, { ...ITEM_KEY, status: { S: 'new' } });
        assert.equal(insert.OldImage, undefined);
        assert.deepEqual(modify.OldImage, { ...ITEM_KEY, status: { S: 'new' } });
        assert.deepEqual(modify.NewImage, { ...ITEM_KEY, status: { S: 'done' } });
        assert.deepEqual(remove.OldImage, { ...ITEM_KEY, status: { S: 'done' } });
        assert.equal(remove.NewImage, undefined);
        assert.equal(records[0]?.eventSourceARN, 'arn:aws:dynamodb:us-east-1:123456789012:table/Items/stream/1970-01-01T00:00:00.000');
        assert.equal(records[0]?.eventSource, 'aws:dynamodb');

        // An upload that the filter (prefix incoming/, suffix .txt) leaves out, then one it takes: S3's event, asynchronously.
        await s3.send(new PutObjectCommand({ Bucket: 'uploadsbucket', Key: 'other/skipped.txt', Body: 'not for the function' }));
        // A streamed body goes as aws-chunked with a checksum trailer.
        await s3.send(new PutObjectCommand({ Bucket: 'uploadsbucket', Key: 'incoming/monthly report.txt', Body: Readable.from([Buffer.from('hello '), Buffer.from('from S3')]), ContentLength: 13 }));
        await logged(endpoint, 'S3_OBJECT');
        const output = endpoint.output().stderr;
        assert.match(output, /\tS3_OBJECT hello from S3\n/);
        const eventLine = output.split('\n').find((line) => line.includes('\tS3_EVENT '));
        const eventText = (eventLine ?? '').slice((eventLine ?? '').indexOf('S3_EVENT ') + 'S3_EVENT '.length);
        assert.deepEqual(validateEvent(eventText, 's3-put'), []);
        const record = (JSON.parse(eventText) as { Records: Record<string, unknown>[] }).Records;
        assert.equal(record.length, 1);
        assert.equal(record[0]?.eventName, 'ObjectCreated:Put');
        const s3Part = record[0]?.s3 as { configurationId: string; bucket: { name: string; arn: string }; object: { key: string; size: number; eTag: string } };
        assert.deepEqual(s3Part.bucket.name, 'uploadsbucket');
        assert.equal(s3Part.bucket.arn, 'arn:aws:s3:::uploadsbucket');
        assert.equal(s3Part.object.key, 'incoming/monthly+report.txt');
        assert.equal(s3Part.object.size, 13);
        assert.match(s3Part.object.eTag, /^[0-9a-f]{32}$/);
        assert.equal(s3Part.configurationId, 'UploadFunctionUploaded');
        assert.equal(output.split('\n').filter((line) => line.includes('\tS3_EVENT ')).length, 1, 'the filtered-out upload invoked nothing');

        // Virtual-host-style: the bucket in the Host name, under localhost.
        const port = new URL(endpoint.url).port;
        const virtualHost = await new Promise<{ status?: number; body: string }>((resolveGet, reject) => {
          get({ host: '127.0.0.1', port, path: '/incoming/monthly%20report.txt', headers: { host: `uploadsbucket.localhost:${port}` } }, (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolveGet({ status: res.statusCode, body }));
          }).on('error', reject);
        });
        assert.deepEqual(virtualHost, { status: 200, body: 'hello from S3' });
      } finally {
        dynamoDb.destroy();
        s3.destroy();
      }
      assert.equal(await endpoint.stop(), 0);

      // A new start finds the tables, items and objects of the last one.
      endpoint = await startEndpoint(dir, ['--api-port', '0', '--events-port', '0']);
      const again = new DynamoDBClient({ ...CLIENT, endpoint: endpoint.url });
      const s3Again = new S3Client({ ...CLIENT, endpoint: endpoint.url, forcePathStyle: true });
      try {
        await endpoint.client.send(new InvokeCommand({ FunctionName: 'WriteFunction', Payload: JSON.stringify({ pk: 'order#2', sk: 'line#1', status: 'kept' }) }));
        const kept = await again.send(new GetItemCommand({ TableName: 'NotesTable', Key: { noteId: { S: 'kept' } } }));
        assert.deepEqual(kept.Item, { noteId: { S: 'kept' }, text: { S: 'across restarts' } });
        const rewritten = await again.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'order#2' }, sk: { S: 'line#1' } } }));
        assert.equal(rewritten.Item?.status?.S, 'kept');
        const object = await s3Again.send(new GetObjectCommand({ Bucket: 'uploadsbucket', Key: 'incoming/monthly report.txt' }));
        assert.equal(await object.Body?.transformToString(), 'hello from S3');
      } finally {
        again.destroy();
        s3Again.destroy();
      }
    } finally {
      assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
    }
  });
});
