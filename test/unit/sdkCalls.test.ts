// A handler's SDK calls stay local: it sends to a template queue through the AWS SDK the runtime provides, a second function consumes it.
import { InvokeCommand } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cliRun';
import { startEndpoint } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/sdkCalls');

describe('functions call local services through the AWS SDK', () => {
  let dir: string;
  let cache: string;
  const previousCache = process.env.LAMBDA_WORKBENCH_SDK_CACHE;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-sdk-calls-'));
    cache = mkdtempSync(join(tmpdir(), 'lwb-sdk-cache-'));
    cpSync(FIXTURE, dir, { recursive: true });
    // `start` fills its SDK cache here, not in the user's ~/.cache (nor the run's shared one).
    process.env.LAMBDA_WORKBENCH_SDK_CACHE = cache;
  });

  after(() => {
    if (previousCache === undefined) delete process.env.LAMBDA_WORKBENCH_SDK_CACHE;
    else process.env.LAMBDA_WORKBENCH_SDK_CACHE = previousCache;
    rmSync(dir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  it('Producer sends with @aws-sdk/client-sqs (installed once from npm) to !Ref Orders; Consumer receives it through its mapping', { timeout: 300_000 }, async () => {
    const endpoint = await startEndpoint(dir, ['--events-port', '0']);
    try {
      const output = await endpoint.client.send(new InvokeCommand({ FunctionName: 'Producer', Payload: Buffer.from('{"order":42}') }));
      const payload = JSON.parse(Buffer.from(output.Payload ?? []).toString());
      assert.equal(output.FunctionError, undefined, JSON.stringify(payload) + endpoint.output().stderr);
      // The function saw the local endpoint and the local URL of its queue.
      assert.equal(payload.endpoint, endpoint.url);
      assert.equal(payload.queueUrl, `${endpoint.url}/123456789012/Orders`);
      assert.ok(existsSync(join(cache, 'node_modules', '@aws-sdk', 'client-sqs', 'package.json')));
      assert.match(endpoint.output().stderr, /Installing @aws-sdk\/client-sqs of AWS SDK release 3\.\d+\.\d+ from npm/);

      const consumed = `CONSUMED ${payload.messageId} producer {"order":42}`;
      while (!endpoint.output().stderr.includes(consumed)) await new Promise((r) => setTimeout(r, 100));
    } finally {
      assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
    }
  });

  it('an @aws-sdk package that neither the project nor npm has fails the import as Lambda reports it', { timeout: 300_000 }, async () => {
    const code = join(dir, 'missing');
    mkdirSync(code);
    writeFileSync(join(code, 'app.js'), "const { Client } = require('@aws-sdk/client-lwb-no-such-service');\nexports.handler = async () => Client;\n");
    const run = await runCli(['invoke', 'MissingSdk', '--handler', 'app.handler', '--runtime', 'nodejs20.x', '--code-dir', code, '--event', '-'], { cwd: dir, stdin: '{}' });
    assert.equal(run.code, 1, run.stderr);
    const error = JSON.parse(run.stdout) as { errorType: string; errorMessage: string };
    assert.equal(error.errorType, 'Runtime.ImportModuleError', run.stdout);
    assert.match(error.errorMessage, /^Error: Cannot find module '@aws-sdk\/client-lwb-no-such-service'\nRequire stack:/);
    assert.match(run.stderr, /Could not install @aws-sdk\/client-lwb-no-such-service: npm install exited with 1/);
  });
});
