// `lambda-workbench invoke FN:QUALIFIER` and `--qualifier`: versions and aliases made through `start`'s Lambda API, as the CLI runs them.
import { CreateAliasCommand, CreateFunctionCommand, PublishVersionCommand, UpdateFunctionCodeCommand, waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { zipDirectory } from '../../src/core/build/zipPackage';
import { runCli } from '../support/cliRun';
import { startEndpoint } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/lambdaApi');

describe('CLI: invoke a version or an alias', () => {
  let dir: string;
  const invoke = async (...args: string[]) => {
    const run = await runCli(['invoke', ...args], { cwd: dir });
    return { ...run, body: run.code === 0 ? JSON.parse(run.stdout) as { code: string; version: string } : undefined };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-cli-qualifier-'));
    cpSync(FIXTURE, dir, { recursive: true });
    const endpoint = await startEndpoint(dir);
    try {
      const client = endpoint.client;
      const waiter = { client, maxWaitTime: 60, minDelay: 1, maxDelay: 1 };
      const zip = async (code: string) => readFileSync((await zipDirectory(join(dir, code), join(dir, `${code}.zip`))).zipPath);
      await client.send(new CreateFunctionCommand({
        FunctionName: 'routed', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::123456789012:role/r', Code: { ZipFile: await zip('code-v1') }, Publish: true,
      }));
      await waitUntilFunctionActiveV2(waiter, { FunctionName: 'routed' });
      await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'routed', ZipFile: await zip('code-v2') }));
      await waitUntilFunctionUpdatedV2(waiter, { FunctionName: 'routed' });
      await client.send(new PublishVersionCommand({ FunctionName: 'routed' }));
      await client.send(new CreateAliasCommand({ FunctionName: 'routed', Name: 'stable', FunctionVersion: '1' }));
      // Every invocation of this alias goes to its additional version: the weighted route, with a certain outcome.
      await client.send(new CreateAliasCommand({ FunctionName: 'routed', Name: 'shifted', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { 2: 1 } } }));
    } finally {
      assert.equal(await endpoint.stop(), 0);
    }
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the published version FN:N names, and $LATEST without a qualifier', { timeout: 60_000 }, async () => {
    const first = await invoke('routed:1');
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual([first.body?.code, first.body?.version], ['v1', '1']);
    assert.match(first.stderr, /^START RequestId: [0-9a-f-]{36} Version: 1$/m);
    const latest = await invoke('routed');
    assert.deepEqual([latest.body?.code, latest.body?.version], ['v2', '$LATEST']);
  });

  it('runs an alias given with --qualifier, a weighted alias as Lambda routes it, and a template AutoPublishAlias', { timeout: 60_000 }, async () => {
    const stable = await invoke('routed', '--qualifier', 'stable');
    assert.deepEqual([stable.body?.code, stable.body?.version], ['v1', '1']);
    const shifted = await invoke('routed:shifted');
    assert.deepEqual([shifted.body?.code, shifted.body?.version], ['v2', '2']);
    const live = await invoke('AliasedFunction:live');
    assert.deepEqual([live.body?.code, live.body?.version], ['template', '1']);
  });

  it('refuses an unknown qualifier naming what the function has, and two qualifiers that differ', { timeout: 60_000 }, async () => {
    const unknown = await invoke('routed:9');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /routed has no version or alias '9'\. It has: \$LATEST, versions 1, 2, aliases shifted \(-> 1, 100% to 2\), stable \(-> 1\)\./);
    const differ = await invoke('routed:1', '--qualifier', '2');
    assert.equal(differ.code, 2);
    assert.match(differ.stderr, /the qualifier in 'routed:1' and --qualifier 2 differ; give one of them\./);
    const empty = await invoke('routed:');
    assert.equal(empty.code, 2);
  });
});
