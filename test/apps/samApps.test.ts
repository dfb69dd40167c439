// Third-party SAM applications (test/fixtures/samApps, with their licences) run end to end under `lambda-workbench start`, driven by real HTTP and the AWS SDK v3.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startEndpoint, type StartedEndpoint } from '../support/startedEndpoint';
import { waitFor } from '../support/waitFor';

const APPS = resolve(__dirname, '../../../test/fixtures/samApps');
/** Any credentials sign in locally. */
const CLIENT = { region: 'us-east-1', credentials: { accessKeyId: 'AKIAANYKEY', secretAccessKey: 'any-secret' }, maxAttempts: 1 };
const GATEWAY = /^API Gateway listening on (http:\/\/127\.0\.0\.1:\d+) /m;

/** `npm install` of a project's dependencies as `sam build` installs them (production only; npm's cache first). */
function npmInstall(projectDir: string): Promise<void> {
  return new Promise((resolveInstall, reject) => {
    const child = spawn('npm', ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock'], {
      cwd: projectDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, npm_config_yes: 'true' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolveInstall() : reject(new Error(`npm install in ${projectDir} exited with ${code}:\n${output}`))));
  });
}

/** The API Gateway URL `start` printed. */
function gatewayUrl(endpoint: StartedEndpoint): string {
  const match = GATEWAY.exec(endpoint.output().stdout);
  assert.ok(match, endpoint.output().stdout);
  return match[1] as string;
}

async function request(url: string, init: RequestInit = {}): Promise<{ status: number; body: string }> {
  const answer = await fetch(url, init);
  return { status: answer.status, body: await answer.text() };
}

describe('third-party SAM applications under lambda-workbench start', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-sam-apps-'));
    cpSync(APPS, dir, { recursive: true });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the sam init TypeScript hello world, with the esbuild ^0.14 its project pins, answers GET /hello', { timeout: 300_000 }, async () => {
    const app = join(dir, 'hello-world-typescript');
    await npmInstall(join(app, 'hello-world'));
    const endpoint = await startEndpoint(app, ['--api-port', '0', '--events-port', '0']);
    try {
      const hello = await request(`${gatewayUrl(endpoint)}/hello`);
      assert.deepEqual({ status: hello.status, body: JSON.parse(hello.body) as unknown }, { status: 200, body: { message: 'hello world' } }, endpoint.output().stderr);
      // The project's esbuild is too old to build with: ours builds it, and says so once.
      const notices = endpoint.output().stderr.split('\n').filter((line) => /esbuild 0\.14\.\d+ of the project .* is older than 0\.17/.test(line));
      assert.equal(notices.length, 1, endpoint.output().stderr);
    } finally {
      assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
    }
  });

  it('the Quick Start web backend writes items to its SimpleTable through the API and reads them back', { timeout: 300_000 }, async () => {
    // Not installed: its ES module handlers import @aws-sdk/client-dynamodb and @aws-sdk/lib-dynamodb, which the
    // Node.js runtime provides, as on Lambda.
    const endpoint = await startEndpoint(join(dir, 'web-backend'), ['--api-port', '0', '--events-port', '0']);
    const dynamoDb = new DynamoDBClient({ ...CLIENT, endpoint: endpoint.url });
    try {
      const api = gatewayUrl(endpoint);
      const put = await request(`${api}/`, { method: 'POST', body: JSON.stringify({ id: 'id1', name: 'first item' }), headers: { 'content-type': 'application/json' } });
      assert.deepEqual({ status: put.status, body: JSON.parse(put.body) as unknown }, { status: 200, body: { id: 'id1', name: 'first item' } }, endpoint.output().stderr);
      await request(`${api}/`, { method: 'POST', body: JSON.stringify({ id: 'id2', name: 'second item' }) });

      // In the table, as another client sees it.
      const scanned = await dynamoDb.send(new ScanCommand({ TableName: 'SampleTable' }));
      assert.deepEqual(scanned.Items?.map((item) => item.id?.S).sort(), ['id1', 'id2']);

      const byId = await request(`${api}/id1`);
      assert.deepEqual({ status: byId.status, body: JSON.parse(byId.body) as unknown }, { status: 200, body: { id: 'id1', name: 'first item' } }, endpoint.output().stderr);
      const all = await request(`${api}/`);
      assert.equal(all.status, 200);
      assert.deepEqual((JSON.parse(all.body) as { id: string }[]).map((item) => item.id).sort(), ['id1', 'id2']);
      // The handlers log a failed SDK call as console.log("Error", err) and answer anyway.
      assert.doesNotMatch(endpoint.output().stderr, /\tINFO\tError /, 'no handler logged a failed DynamoDB call');
    } finally {
      dynamoDb.destroy();
      assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
    }
  });

  it('the serverless-patterns S3 processor turns an upload into its result in the destination bucket', { timeout: 300_000 }, async () => {
    // Its bucket names are template Parameters without defaults, given as `sam deploy` would be given them.
    const endpoint = await startEndpoint(join(dir, 's3-processor'), [
      '--api-port', '0', '--events-port', '0', '--parameter-overrides', 'SourceBucketName=sam-app-source', 'DestinationBucketName=sam-app-resized',
    ]);
    const s3 = new S3Client({ ...CLIENT, endpoint: endpoint.url, forcePathStyle: true });
    try {
      const image = Buffer.from('\xff\xd8\xff\xe0 not really a JPEG, but bytes all the same', 'latin1');
      // The suffix filter (.jpg) leaves the text file out.
      await s3.send(new PutObjectCommand({ Bucket: 'sam-app-source', Key: 'notes.txt', Body: 'not an image' }));
      await s3.send(new PutObjectCommand({ Bucket: 'sam-app-source', Key: 'holiday photo.jpg', Body: image, ContentType: 'image/jpeg' }));
      const listed = async () => (await s3.send(new ListObjectsV2Command({ Bucket: 'sam-app-resized' }))).Contents?.map((object) => object.Key) ?? [];
      await waitFor(async () => (await listed()).length > 0, 240_000, `the processed object in sam-app-resized (log:\n${endpoint.output().stderr})`);
      const result = await s3.send(new GetObjectCommand({ Bucket: 'sam-app-resized', Key: 'resized-holiday photo.jpg' }));
      assert.deepEqual(JSON.parse(await result.Body!.transformToString()), {
        source: 'sam-app-source/holiday photo.jpg', bytes: image.length, type: 'jpg', contentType: 'image/jpeg',
      });
      assert.match(endpoint.output().stderr, /Successfully processed sam-app-source\/holiday photo\.jpg and uploaded to sam-app-resized\/resized-holiday photo\.jpg/);
      assert.deepEqual(await listed(), ['resized-holiday photo.jpg']);
    } finally {
      s3.destroy();
      assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
    }
  });
});
