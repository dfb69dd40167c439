// S3 ObjectRemoved notifications of the local S3 for DeleteObject and DeleteObjects: the real S3 SDK v3 client against `lambda-workbench start`.
import { DeleteObjectCommand, DeleteObjectsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { endpointOnFixture } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/s3Removals');

describe('Local S3: removals notify as S3 does (SDK against start)', () => {
  const endpoint = endpointOnFixture(FIXTURE);

  /** The REMOVED lines the function logged so far, sorted. */
  const removed = (): string[] => endpoint.output().stderr.split('\n').filter((line) => line.includes('\tREMOVED ')).map((line) => line.slice(line.indexOf('REMOVED ') + 8)).sort();

  /** The REMOVED lines, once there are `count` of them (or 30 s have passed). */
  async function removals(count: number): Promise<string[]> {
    for (let waited = 0; removed().length < count && waited < 30_000; waited += 50) await new Promise((wait) => setTimeout(wait, 50));
    return removed();
  }

  it('DeleteObjects sends ObjectRemoved:Delete for each key it names, filtered as a single DeleteObject is', { timeout: 90_000 }, async () => {
    const s3 = new S3Client({ endpoint: endpoint.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    try {
      for (const key of ['old/a.txt', 'old/b c.txt', 'new/kept.txt', 'old/single.txt']) await s3.send(new PutObjectCommand({ Bucket: 'archivebucket', Key: key, Body: key }));
      const answer = await s3.send(new DeleteObjectsCommand({
        Bucket: 'archivebucket',
        Delete: { Objects: [{ Key: 'old/a.txt' }, { Key: 'old/b c.txt' }, { Key: 'new/kept.txt' }] },
      }));
      assert.deepEqual(answer.Deleted?.map((entry) => entry.Key).sort(), ['new/kept.txt', 'old/a.txt', 'old/b c.txt']);
      await s3.send(new DeleteObjectCommand({ Bucket: 'archivebucket', Key: 'old/single.txt' }));
      // Keys are URL-encoded in S3's records, spaces as +.
      assert.deepEqual(await removals(3), ['ObjectRemoved:Delete old/a.txt', 'ObjectRemoved:Delete old/b+c.txt', 'ObjectRemoved:Delete old/single.txt']);
      await new Promise((wait) => setTimeout(wait, 500));
      assert.equal(removed().length, 3, 'new/kept.txt is outside the prefix filter: no record for it');
    } finally {
      s3.destroy();
    }
  });
});
