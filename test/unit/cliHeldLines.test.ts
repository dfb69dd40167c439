// `start`'s log lines: an invocation's START waits for its END (one write for a short invocation) but shows within HOLD_MS for a long one (real CLI, real HTTP).
import { InvokeCommand } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEndpoint, type StartedEndpoint } from '../support/startedEndpoint';
import { waitFor } from '../support/waitFor';

describe('start: an invocation\'s platform lines', () => {
  let dir: string;
  let start: StartedEndpoint;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-held-lines-'));
    writeFileSync(join(dir, 'app.js'), [
      'exports.quick = async (event) => event;',
      'exports.slow = async () => { await new Promise((resolve) => setTimeout(resolve, 1500)); return "slept"; };',
      '',
    ].join('\n'));
    writeFileSync(join(dir, 'template.yaml'), [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Quick:',
      '    Type: AWS::Serverless::Function',
      '    Properties: { FunctionName: quick, CodeUri: ., Handler: app.quick, Runtime: nodejs20.x }',
      '  Slow:',
      '    Type: AWS::Serverless::Function',
      '    Properties: { FunctionName: slow, CodeUri: ., Handler: app.slow, Runtime: nodejs20.x, Timeout: 10 }',
      '',
    ].join('\n'));
    start = await startEndpoint(dir, [], { readyLine: /Functions:\n(.*\n)*.*slow/ });
  });

  after(async () => {
    assert.equal(await start.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  });

  const linesOf = (requestId: string) => start.output().stderr.split('\n').filter((line) => line.includes(requestId));

  it('writes START, END and REPORT of quick invocations, in order', async () => {
    for (let n = 0; n < 20; n++) {
      const output = await start.client.send(new InvokeCommand({ FunctionName: 'quick', Payload: Buffer.from(JSON.stringify({ n })) }));
      assert.equal(Buffer.from(output.Payload ?? []).toString(), JSON.stringify({ n }));
      const requestId = output.$metadata.requestId ?? '-';
      await start.stderrHas(`REPORT RequestId: ${requestId}`);
      const lines = linesOf(requestId);
      assert.equal(lines.length, 3, lines.join('\n'));
      assert.match(lines[0], /^START RequestId: /);
      assert.match(lines[1], /^END RequestId: /);
      assert.match(lines[2], /^REPORT RequestId: .*\tMax Memory Used: \d+ MB\t/);
    }
  });

  it('shows a long invocation\'s START while it runs', async () => {
    const before = (start.output().stderr.match(/^START RequestId: /gm) ?? []).length;
    const invoked = start.client.send(new InvokeCommand({ FunctionName: 'slow' }));
    let answered = false;
    void invoked.finally(() => (answered = true)).catch(() => undefined);
    await waitFor(() => (start.output().stderr.match(/^START RequestId: /gm) ?? []).length > before, 1000, 'the START line');
    assert.equal(answered, false, 'START was shown before the response');
    const output = await invoked;
    assert.equal(Buffer.from(output.Payload ?? []).toString(), '"slept"');
    await start.stderrHas(`REPORT RequestId: ${output.$metadata.requestId}`);
    const lines = linesOf(output.$metadata.requestId ?? '-');
    assert.deepEqual(lines.map((line) => line.split(' ')[0]), ['START', 'END', 'REPORT']);
  });
});
