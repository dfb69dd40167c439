// S3 object keys and bucket names that would lead the local S3 out of its folder, and methods S3 lacks: the real S3 SDK v3 client against `lambda-workbench start`.
import { CopyObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { endpointOnFixture, failure } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/data');

/** Every file name below `dir`, its subfolders included. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

describe('Local S3: keys with . or .. segments and invalid bucket names are refused (SDK against start)', () => {
  const endpoint = endpointOnFixture(FIXTURE);

  it('PutObject, CopyObject and raw requests that would escape the bucket folder get 400 and write nothing', { timeout: 90_000 }, async () => {
    const s3 = new S3Client({ endpoint: endpoint.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    try {
      const before = new Set(filesUnder(endpoint.dir));
      for (const key of ['../../../../escaped', 'a/../../../../escaped', './x']) {
        const error = await failure(s3.send(new PutObjectCommand({ Bucket: 'uploadsbucket', Key: key, Body: 'x' })));
        assert.equal(error.name, 'InvalidArgument', key);
        assert.equal(error.$metadata.httpStatusCode, 400);
        assert.match(error.message, /has a '\.' or '\.\.' path segment, which Lambda Workbench cannot store/);
      }
      await s3.send(new PutObjectCommand({ Bucket: 'uploadsbucket', Key: 'dots..in..names/ok..txt', Body: 'kept' }));
      const copied = await failure(s3.send(new CopyObjectCommand({ Bucket: 'uploadsbucket', Key: 'copy', CopySource: 'uploadsbucket/../../../../escaped' })));
      assert.equal(copied.name, 'InvalidArgument');
      // Percent-encoded slashes, a bucket name of '..' and a NUL in a key (no file name holds it) through a raw request, as no SDK would send them.
      for (const path of ['/uploadsbucket/..%2F..%2F..%2F..%2Fraw', '/../state', '/%2E%2E/x', '/uploadsbucket/a%00b']) {
        const status = await new Promise<number | undefined>((done, fail) => {
          const url = new URL(endpoint.url);
          const req = request({ host: url.hostname, port: url.port, path, method: 'PUT', headers: { 'content-length': '1' } }, (res) => {
            res.resume();
            done(res.statusCode);
          });
          req.on('error', fail);
          req.end('x');
        });
        assert.equal(status, 400, path);
      }
      // The other local services save their state files (sns.json..., the streams' journals) at their own pace: they are not S3's writes.
      const otherServices = /^\.lambda-workbench\/state\/([a-z-]+\.json|streams|streams\/[A-Za-z0-9%._-]+\.jsonl)$/;
      const added = filesUnder(endpoint.dir).filter((file) => !before.has(file) && !otherServices.test(file));
      assert.ok(added.length > 0 && added.every((file) => /uploadsbucket\/dots\.\.in\.\.names(\/ok\.\.txt\._S3rver_[a-z0-9.]+)?$/.test(file)), `only the valid object's files were added: ${added.join(', ')}`);
      const kept = await s3.send(new GetObjectCommand({ Bucket: 'uploadsbucket', Key: 'dots..in..names/ok..txt' }));
      assert.equal(await kept.Body?.transformToString(), 'kept');
    } finally {
      s3.destroy();
    }
  });

  it('DeleteObjects checks every key of its body: one that would lead out of the bucket folder fails the request and deletes nothing', { timeout: 90_000 }, async () => {
    const s3 = new S3Client({ endpoint: endpoint.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    try {
      await s3.send(new PutObjectCommand({ Bucket: 'uploadsbucket', Key: 'delete-me/one', Body: '1' }));
      await s3.send(new PutObjectCommand({ Bucket: 'uploadsbucket', Key: 'keep-me/two', Body: '2' }));
      // An object's files as s3rver would keep them, two folders above the bucket's: what '../../planted' maps to.
      const objectFile = filesUnder(endpoint.dir).find((file) => file.endsWith(join('uploadsbucket', 'keep-me', 'two._S3rver_object'))) as string;
      const bucketDir = join(endpoint.dir, dirname(dirname(objectFile)));
      const planted = join(bucketDir, '..', '..', 'planted._S3rver_object');
      writeFileSync(planted, 'outside');
      writeFileSync(join(bucketDir, '..', '..', 'planted._S3rver_metadata.json'), '{}');

      const deleted = await s3.send(new DeleteObjectsCommand({ Bucket: 'uploadsbucket', Delete: { Objects: [{ Key: 'delete-me/one' }] } }));
      assert.deepEqual(deleted.Deleted?.map((entry) => entry.Key), ['delete-me/one']);
      assert.equal((await failure(s3.send(new GetObjectCommand({ Bucket: 'uploadsbucket', Key: 'delete-me/one' })))).name, 'NoSuchKey');

      const refused = await failure(s3.send(new DeleteObjectsCommand({ Bucket: 'uploadsbucket', Delete: { Objects: [{ Key: 'keep-me/two' }, { Key: '../../planted' }] } })));
      assert.equal(refused.name, 'InvalidArgument');
      assert.equal(refused.$metadata.httpStatusCode, 400);
      assert.match(refused.message, /Object key '\.\.\/\.\.\/planted' has a '\.' or '\.\.' path segment/);
      assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'uploadsbucket', Key: 'keep-me/two' }))).ContentLength, 1, 'the valid key of the refused request is kept');
      assert.ok(existsSync(planted), 'the file outside the bucket folder is still there');

      // Written with character references, or padded (s3rver decodes and trims keys), as no SDK would send them.
      for (const key of ['&#46;&#46;/&#46;&#46;/planted', '  ../../planted  ']) {
        const xml = `<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>${key}</Key></Object></Delete>`;
        const status = await new Promise<number | undefined>((done, fail) => {
          const url = new URL(endpoint.url);
          const req = request({ host: url.hostname, port: url.port, path: '/uploadsbucket?delete', method: 'POST', headers: { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) } }, (res) => {
            res.resume();
            done(res.statusCode);
          });
          req.on('error', fail);
          req.end(xml);
        });
        assert.equal(status, 400, key);
      }
      assert.ok(existsSync(planted), 'still there');
    } finally {
      s3.destroy();
    }
  });

  it('answers methods S3 does not serve with 405 MethodNotAllowed in S3\'s XML error shape', { timeout: 90_000 }, async () => {
    // Unknown methods, and a method S3 has no operation for on the resource (s3rver would answer a plain-text 404, or 501 for a POST to an object).
    for (const [method, path] of [['PATCH', '/uploadsbucket/some-key'], ['PROPFIND', '/uploadsbucket/some-key'], ['TRACE', '/uploadsbucket/some-key'], ['POST', '/'],
      ['POST', '/uploadsbucket/some-key']]) {
      const url = new URL(`${endpoint.url}${path}`);
      const answer = await new Promise<{ status?: number; type?: string; body: string }>((done, fail) => {
        const req = request({ host: url.hostname, port: url.port, path: url.pathname, method }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => done({ status: res.statusCode, type: res.headers['content-type'], body }));
        });
        req.on('error', fail);
        req.end();
      });
      assert.equal(answer.status, 405, method);
      assert.equal(answer.type, 'application/xml');
      assert.match(answer.body, new RegExp(`<Error><Code>MethodNotAllowed</Code><Message>The specified method ${method} is not allowed`));
    }
  });
});
