// `invoke`, `test` and `schedules run` serve the template's local services to the functions for the run, as `start` does:
// a function's DynamoDB write lands in the local table (the state directory's), never at AWS.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cliRun';
import { startEndpoint } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/data');
const REPO_MODULES = resolve(__dirname, '../../../node_modules');

/** The items of the local table, read by `data scan` (no `start` running). */
async function scanned(dir: string, table: string): Promise<Record<string, { S?: string }>[]> {
  const scan = await runCli(['data', 'scan', table], { cwd: dir });
  assert.equal(scan.code, 0, scan.stderr);
  return (JSON.parse(scan.stdout) as { Items: Record<string, { S?: string }>[] }).Items;
}

describe('the local endpoint of one-shot commands', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-one-shot-'));
    cpSync(FIXTURE, dir, { recursive: true });
    // The functions bundle the AWS SDK with esbuild (BuildMethod: esbuild), from the project's node_modules.
    symlinkSync(REPO_MODULES, join(dir, 'node_modules'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it("invoke and test: the function's SDK calls reach the template's local table", { timeout: 180_000 }, async () => {
    const invoked = await runCli(['invoke', 'WriteFunction', '--event', '-'], { cwd: dir, stdin: '{"pk":"order#7","sk":"line#1","status":"new"}' });
    assert.equal(invoked.code, 0, invoked.stderr);
    assert.deepEqual(JSON.parse(invoked.stdout), {
      written: 'Items', endpoint: true, streamArn: JSON.parse(invoked.stdout).streamArn,
    });
    assert.doesNotMatch(invoked.stderr, /^Warning: /m);
    assert.deepEqual((await scanned(dir, 'Items')).map((item) => item.pk?.S), ['order#7']);

    // A saved event as a test: the same local table.
    mkdirSync(join(dir, 'events', 'WriteFunction'), { recursive: true });
    writeFileSync(join(dir, 'events', 'WriteFunction', 'second.json'), '{"pk":"order#8","sk":"line#1","status":"paid"}');
    const tested = await runCli(['test', 'WriteFunction'], { cwd: dir });
    assert.equal(tested.code, 0, tested.stdout + tested.stderr);
    assert.match(tested.stdout, /^ok 1 - WriteFunction\/second /m);
    assert.deepEqual((await scanned(dir, 'Items')).map((item) => item.pk?.S).sort(), ['order#7', 'order#8']);
  });

  it('tables a running start holds are named in a warning, and the invocation still runs', { timeout: 180_000 }, async () => {
    const running = await startEndpoint(dir);
    try {
      const invoked = await runCli(['invoke', 'WriteFunction', '--event', '-'], { cwd: dir, stdin: '{"pk":"order#9","sk":"line#1","status":"new"}' });
      assert.match(invoked.stderr, /^Warning: The template's tables and buckets are not served to this run: .*Another 'lambda-workbench start' \(or the extension's local endpoints\) is using them: stop it first\.$/m);
      // The function ran (and failed: its table is nowhere it can reach), with Lambda's END and REPORT.
      assert.match(invoked.stderr, /^REPORT RequestId: /m);
    } finally {
      assert.equal(await running.stop(), 0, running.output().stderr);
    }
  });
});
