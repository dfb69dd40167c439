// Secrets stay out of logs and state: the host's AWS credentials and --env-vars values given to `start` appear nowhere in
// its output or under its state directory (journals of asynchronous invocations included), though the functions ran.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { startCli, type StartedCli } from '../support/cliServer';
import { startRecorder, type Recorder } from '../support/invocationRecorder';
import { waitFor } from '../support/waitFor';

const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/durable');

/** Every file under `dir`, with its content. */
function filesUnder(dir: string): { file: string; content: Buffer }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => ({ file, content: readFileSync(file) }));
}

describe('secrets out of logs and state', () => {
  let dir: string;
  let recorder: Recorder;
  let service: StartedCli | undefined;
  after(async () => {
    await service?.stop();
    await recorder?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('AWS credentials and --env-vars values are in no log line and no file of the state directory', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lwb-secrets-'));
    cpSync(FIXTURE, dir, { recursive: true });
    recorder = await startRecorder();
    const secrets = {
      AWS_ACCESS_KEY_ID: `AKIA${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`,
      AWS_SECRET_ACCESS_KEY: `secret-${randomUUID()}`,
      AWS_SESSION_TOKEN: `token-${randomUUID()}`,
      API_TOKEN: `env-vars-${randomUUID()}`,
    };
    writeFileSync(path.join(dir, 'env.json'), JSON.stringify({ Parameters: { API_TOKEN: secrets.API_TOKEN } }));
    service = await startCli(['--api-port', '0', '--time-scale', '0.01', '--env-vars', 'env.json', '--parameter-overrides', `RecorderUrl=${recorder.url}`], {
      cwd: dir,
      env: { ...process.env, AWS_ACCESS_KEY_ID: secrets.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: secrets.AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN: secrets.AWS_SESSION_TOKEN },
    });
    const invoke = (type: string, id: string) => fetch(`${service?.apiUrl}/2015-03-31/functions/WorkFunction/invocations`, {
      method: 'POST',
      headers: { 'X-Amz-Invocation-Type': type, 'X-Amz-Log-Type': type === 'RequestResponse' ? 'Tail' : 'None' },
      body: JSON.stringify({ id }),
    });
    const sync = await invoke('RequestResponse', 'sync-secret');
    assert.equal(sync.status, 200, await sync.text());
    const tail = Buffer.from(sync.headers.get('x-amz-log-result') ?? '', 'base64').toString('utf8');
    assert.match(tail, /^REPORT RequestId/m);
    // A slow event, still pending (journaled) when the state is read.
    assert.equal((await invoke('Event', 'async-secret')).status, 202);
    await waitFor(() => recorder.runs('async-secret') >= 1, 60_000, 'the asynchronous event to run');

    const written = filesUnder(path.join(dir, '.lambda-workbench'));
    assert.ok(written.some((f) => f.file.includes(`${path.sep}async${path.sep}`)), 'the async journal is among the files read');
    assert.equal(await service.stop(), 0);
    const output = `${service.banner}${service.stderr()}${tail}`;
    assert.match(output, /START RequestId/);
    for (const [name, value] of Object.entries(secrets)) {
      assert.ok(!output.includes(value), `${name} appears in start's output`);
      for (const { file, content } of [...written, ...filesUnder(path.join(dir, '.lambda-workbench'))]) {
        assert.ok(!content.includes(value), `${name} is written in ${file}`);
      }
    }
  });
});
