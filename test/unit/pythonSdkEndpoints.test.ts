// Python handlers reach the local services through the runtime's boto3 (their interpreter's, else the host's) with no
// endpoint in their code: botocore 1.31+ reads AWS_ENDPOINT_URL_<SERVICE> itself, an older one (Debian's 1.29) through the
// runtime client's hook (sdk_endpoints.py).
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findOnPath } from '../../src/core/common/executables';
import { startEndpoint } from '../support/startedEndpoint';

const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/pythonSdk');
const CLIENT = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 };

interface WriterResult {
  botocore: string;
  table: string;
  bucket: string;
  queueUrl: string;
  messageId: string;
  endpoints: Record<'s3' | 'dynamodb' | 'sqs', string>;
  explicit: string;
}

/** botocore's version in this Python 3.11 (the fixture's runtime), or undefined when it has no boto3. */
function botocoreVersion(python: string): string | undefined {
  const probe = spawnSync(python, ['-c', 'import sys, boto3, botocore; print(botocore.__version__ if sys.version_info[:2] == (3, 11) else "")'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() || undefined : undefined;
}

/** Whether this botocore reads AWS_ENDPOINT_URL_<SERVICE> itself (1.31 and later). */
function readsConfiguredEndpoints(version: string): boolean {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  return major > 1 || minor >= 31;
}

interface Case {
  title: string;
  /** The function's interpreter (`--interpreter python3.11=...`). */
  python: string;
  /** The Python whose boto3 the function gets: its own, or the host's (hostPythonSdk asks /usr/bin/python3 first). */
  sdkFrom: string;
}

const DEBIAN_PYTHON = '/usr/bin/python3';
const pythonOnPath = findOnPath('python3');
// A Python with no boto3 of its own, as a pyenv or uv Python often is: Debian's with its site packages off.
const noSitePython = path.join(mkdtempSync(path.join(tmpdir(), 'lwb-python-nosite-')), 'bin', 'python3');
const cases: Case[] = [
  // Debian's python3-boto3 (scripts/setup.sh) is the old botocore CI has.
  { title: DEBIAN_PYTHON, python: DEBIAN_PYTHON, sdkFrom: DEBIAN_PYTHON },
  // Another Python 3.11 on PATH with its own, usually newer, boto3.
  ...(pythonOnPath && realpathSync(pythonOnPath) !== DEBIAN_PYTHON ? [{ title: pythonOnPath, python: pythonOnPath, sdkFrom: pythonOnPath }] : []),
  { title: `${DEBIAN_PYTHON} -S (no boto3 of its own: the host's is given)`, python: noSitePython, sdkFrom: DEBIAN_PYTHON },
];

describe('Python handlers: boto3 calls reach the local services through AWS_ENDPOINT_URL_<SERVICE>', () => {
  let root: string;

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'lwb-python-sdk-'));
    mkdirSync(path.dirname(noSitePython));
    writeFileSync(noSitePython, `#!/bin/sh\nexec ${DEBIAN_PYTHON} -S "$@"\n`, { mode: 0o755 });
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(path.dirname(path.dirname(noSitePython)), { recursive: true, force: true });
  });

  for (const [index, { title, python, sdkFrom }] of cases.entries()) {
    const version = botocoreVersion(sdkFrom);
    const how = version === undefined ? '' : readsConfiguredEndpoints(version) ? 'which reads them itself' : 'through the runtime client, as botocore is older than 1.31';
    const skip = version === undefined ? `${sdkFrom} is not a Python 3.11 with boto3 (scripts/setup.sh installs python3-boto3)` : false;
    it(`${title} (botocore ${version ?? 'none'}): S3, DynamoDB and SQS calls land locally, ${how}`, { skip, timeout: 180_000 }, async () => {
      const dir = path.join(root, String(index));
      cpSync(FIXTURE, dir, { recursive: true });
      const endpoint = await startEndpoint(dir, ['--interpreter', `python3.11=${python}`]);
      const s3 = new S3Client({ ...CLIENT, endpoint: endpoint.url, forcePathStyle: true });
      const dynamoDb = new DynamoDBClient({ ...CLIENT, endpoint: endpoint.url });
      const sqs = new SQSClient({ ...CLIENT, endpoint: endpoint.url });
      try {
        const output = await endpoint.client.send(new InvokeCommand({ FunctionName: 'Writer', Payload: Buffer.from('{"id":"n-1","text":"kept locally"}') }));
        const answer = Buffer.from(output.Payload ?? []).toString();
        assert.equal(output.FunctionError, undefined, `${answer}\n${endpoint.output().stderr}`);
        const result = JSON.parse(answer) as WriterResult;
        assert.equal(result.botocore, version);
        assert.deepEqual(result.endpoints, { s3: endpoint.url, dynamodb: endpoint.url, sqs: endpoint.url });
        assert.equal(result.explicit, 'http://127.0.0.1:9');

        const object = await s3.send(new GetObjectCommand({ Bucket: result.bucket, Key: 'n-1' }));
        assert.equal(await object.Body?.transformToString(), 'kept locally');
        const item = await dynamoDb.send(new GetItemCommand({ TableName: result.table, Key: { id: { S: 'n-1' } } }));
        assert.deepEqual(item.Item, { id: { S: 'n-1' }, text: { S: 'kept locally' } });
        const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: result.queueUrl, WaitTimeSeconds: 5 }));
        assert.deepEqual(received.Messages?.map((message) => [message.MessageId, message.Body]), [[result.messageId, 'kept locally']]);
      } finally {
        s3.destroy();
        dynamoDb.destroy();
        sqs.destroy();
        assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
      }
    });
  }
});
