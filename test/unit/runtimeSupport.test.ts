// What cannot run says so: functions a backend cannot run are listed at `start` with the reason, and invoking them through the
// real AWS SDK v3 client (default retries) answers one 409 ResourceConflictException: one request reaches the server, no INIT.
import { InvokeCommand, LambdaClient, ResourceConflictException } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ContainerBackend } from '../../src/core/instances/container/containerBackend';
import { cannotRunOn } from '../../src/core/instances/runtimeSupport';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import { ServiceError } from '../../src/core/service/invocation';
import { LambdaService } from '../../src/core/service/lambdaService';
import { defaultFunctionSpec, type FunctionSpec } from '../../src/core/template/functionSpec';
import { startCountingProxy, type CountingProxy } from '../support/cliServer';
import { startEndpoint, type StartedEndpoint } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/unrunnable');

function spec(overrides: Partial<FunctionSpec>): FunctionSpec {
  return defaultFunctionSpec('Fn', 'Zip', { codeDir: '/code', ...overrides });
}

describe('cannotRunOn', () => {
  it('knows what processes run: nodejs, python and provided runtimes, not Java or images', () => {
    for (const runtime of ['nodejs24.x', 'python3.13', 'provided.al2023']) assert.equal(cannotRunOn('process', spec({ runtime })), undefined);
    assert.equal(cannotRunOn('process', spec({ runtime: 'java21' }))?.reasonCode, 'InvalidRuntime');
    assert.match(cannotRunOn('process', spec({ runtime: 'java21' }))?.hint ?? '', /--backend container/);
    assert.equal(cannotRunOn('process', spec({ packageType: 'Image', imageUri: 'x:1' }))?.reasonCode, 'InvalidImage');
  });

  it('knows what containers run: every runtime with a base image or an override, images with an ImageUri', () => {
    assert.equal(cannotRunOn('container', spec({ runtime: 'java21' })), undefined);
    assert.equal(cannotRunOn('container', spec({ packageType: 'Image', imageUri: 'x:1' })), undefined);
    assert.equal(cannotRunOn('container', spec({ packageType: 'Image' }))?.reasonCode, 'InvalidImage');
    assert.equal(cannotRunOn('container', spec({ runtime: 'cobol1' }))?.reasonCode, 'InvalidRuntime');
    assert.equal(cannotRunOn('container', spec({ runtime: 'cobol1' }), { imageOverrides: { cobol1: 'my/cobol' } }), undefined);
  });
});

describe('start with functions the process backend cannot run', () => {
  let dir: string;
  let cli: StartedEndpoint;
  let proxy: CountingProxy;
  let client: LambdaClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-unrunnable-'));
    cpSync(FIXTURE, dir, { recursive: true });
    cli = await startEndpoint(dir, ['--template', 'template.yaml']);
    proxy = await startCountingProxy(cli.url);
    // The SDK's defaults: a 5xx would be retried (3 attempts in all); a 4xx is not.
    client = new LambdaClient({ endpoint: proxy.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  });

  after(async () => {
    client.destroy();
    await proxy.close();
    assert.equal(await cli.stop(), 0, cli.output().stderr);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists each of them at load with the reason', () => {
    assert.match(cli.banner, /^ {2}JavaFunction {2}java21 {2}cannot run: Runtime java21 of JavaFunction cannot run as a local process\. .*--backend container/m);
    assert.match(cli.banner, /^ {2}ImageFunction {2}example-image:latest {2}cannot run: ImageFunction is packaged as a container image/m);
    assert.match(cli.banner, /^ {2}NodeFunction {2}nodejs20\.x {2}http:\/\/127\.0\.0\.1:\d+\/2015-03-31\/functions\/NodeFunction\/invocations$/m);
  });

  for (const [name, reasonCode] of [['JavaFunction', 'InvalidRuntime'], ['ImageFunction', 'InvalidImage']] as const) {
    it(`answers ${name} with one 409 ResourceConflictException that the SDK does not retry, and no INIT`, async () => {
      const before = proxy.requests;
      const error = await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') })).then(
        () => assert.fail('the invocation should fail'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof ResourceConflictException, String(error));
      assert.equal(error.$metadata.httpStatusCode, 409);
      assert.equal(error.$metadata.attempts, 1);
      assert.equal(error.Type, 'User');
      assert.match(error.message, new RegExp(`^The operation cannot be performed at this time\\. The function is currently in the following state: Failed\\. ${reasonCode}: .*${name}`));
      assert.equal(proxy.requests - before, 1, 'one request reached the server');
      assert.doesNotMatch(cli.output().stderr, /INIT_START/);
    });
  }

  it('still runs the functions it can', async () => {
    const output = await client.send(new InvokeCommand({ FunctionName: 'NodeFunction', Payload: Buffer.from('{}') }));
    assert.equal(output.StatusCode, 200);
    assert.deepEqual(JSON.parse(Buffer.from(output.Payload ?? []).toString()), { ran: true });
  });
});

describe('a container backend with no engine', () => {
  it('answers an image function with 409 InvalidImage naming what it tried, not an internal error', { timeout: 30_000 }, async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'lwb-noengine-'));
    const registry = await FunctionRegistry.fromTemplates([join(FIXTURE, 'template.yaml')]);
    const backend = new ContainerBackend({
      reaper: false,
      engine: { discovery: { env: { DOCKER_HOST: `unix://${join(stateDir, 'no-engine.sock')}` }, home: stateDir, platform: 'linux' } },
    });
    const service = new LambdaService(registry, { backend, stateDir });
    try {
      await assert.rejects(service.invoke({ functionName: 'ImageFunction', payload: Buffer.from('{}') }), (e: unknown) => {
        assert.ok(e instanceof ServiceError, String(e));
        assert.equal(e.httpStatus, 409);
        assert.equal(e.extra.StateReasonCode, 'InvalidImage');
        assert.match(e.message, /no-engine\.sock/);
        return true;
      });
    } finally {
      await service.dispose();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
