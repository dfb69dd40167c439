// Local code paths of Lambda API callers (S3Bucket hot-reload + S3Key), with the AWS SDK v3 client against a real `lambda-workbench start`.
import {
  CreateFunctionCommand,
  InvokeCommand,
  PublishLayerVersionCommand,
  UpdateFunctionCodeCommand,
  waitUntilFunctionActiveV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { endpointOnFixture, failure, type FixtureEndpoint } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/lambdaApi');
const ROLE = 'arn:aws:iam::123456789012:role/lambda-role';

/** Code outside every project the endpoints run on: what a caller must not be able to load. */
const outside = realpathSync(mkdtempSync(join(tmpdir(), 'lwb-outside-')));
mkdirSync(join(outside, 'code'));
writeFileSync(join(outside, 'code', 'index.js'), "exports.handler = async () => ({ code: 'outside' });\n");
after(() => rmSync(outside, { recursive: true, force: true }));

function createFrom(client: LambdaClient, name: string, key: string): Promise<unknown> {
  return client.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { S3Bucket: 'hot-reload', S3Key: key } }));
}

async function assertRefused(call: Promise<unknown>, key: string, endpoint: FixtureEndpoint, through?: string): Promise<void> {
  const error = await failure(call);
  assert.equal(error.name, 'InvalidParameterValueException', error.message);
  assert.equal(error.$metadata.httpStatusCode, 400);
  const shown = through === undefined ? key : `${key} \\(which leads to ${through} through a symbolic link\\)`;
  assert.match(error.message, new RegExp(`^S3Key ${shown} is outside the folders local code may come from: ${endpoint.dir} \\(project root\\), ${join(endpoint.dir, '.lambda-workbench')} \\(state directory\\)\\. Move the code into the project, or start the endpoint with a project root that holds it \\(--project-root`));
}

describe('Lambda API: local code paths stay inside the project root and the state directory (SDK against start)', () => {
  const endpoint = endpointOnFixture(FIXTURE, { prepare: (dir) => symlinkSync(join(outside, 'code'), join(dir, 'linked')) });

  it('CreateFunction, UpdateFunctionCode and PublishLayerVersion refuse paths outside, ../ and symbolic links out included', { timeout: 90_000 }, async () => {
    const client = endpoint.client;
    await assertRefused(createFrom(client, 'absolute', join(outside, 'code')), join(outside, 'code'), endpoint);
    await assertRefused(createFrom(client, 'dotdot', `${endpoint.dir}/../${outside.split('/').pop()}/code`), join(outside, 'code'), endpoint);
    await assertRefused(createFrom(client, 'linked', join(endpoint.dir, 'linked')), join(endpoint.dir, 'linked'), endpoint, join(outside, 'code'));
    await assertRefused(client.send(new PublishLayerVersionCommand({ LayerName: 'outside', Content: { S3Bucket: 'hot-reload', S3Key: outside } })), outside, endpoint);

    await createFrom(client, 'inside', join(endpoint.dir, 'code-v1'));
    await waitUntilFunctionActiveV2(endpoint.waiter(), { FunctionName: 'inside' });
    await assertRefused(client.send(new UpdateFunctionCodeCommand({ FunctionName: 'inside', S3Bucket: 'hot-reload', S3Key: join(outside, 'code') })), join(outside, 'code'), endpoint);
    const answer = await client.send(new InvokeCommand({ FunctionName: 'inside', Payload: Buffer.from('{}') }));
    assert.equal(JSON.parse(Buffer.from(answer.Payload ?? []).toString()).code, 'v1', 'the refused update left the code as it was');
  });
});

describe('Lambda API: start --project-root widens where local code may come from', () => {
  const endpoint = endpointOnFixture(FIXTURE, { args: ['--project-root', realpathSync(tmpdir())] });

  it('creates and runs a function whose S3Key is inside the given root', { timeout: 90_000 }, async () => {
    await createFrom(endpoint.client, 'widened', join(outside, 'code'));
    await waitUntilFunctionActiveV2(endpoint.waiter(), { FunctionName: 'widened' });
    const answer = await endpoint.client.send(new InvokeCommand({ FunctionName: 'widened', Payload: Buffer.from('{}') }));
    assert.deepEqual(JSON.parse(Buffer.from(answer.Payload ?? []).toString()), { code: 'outside' });
  });
});
