// A custom runtime (provided.al2023) whose bootstrap is a compiled C program speaking the Runtime API over sockets, as a Go or
// Rust bootstrap would: found in the code folder, run as a local process (at /var/task when sandboxed).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import { findBubblewrap } from '../../src/core/instances/process/sandbox';
import type { LogRecord } from '../../src/core/logs/logRecord';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import { LambdaService } from '../../src/core/service/lambdaService';

const SOURCE = resolve(__dirname, '../../../test/fixtures/custom-c/bootstrap.c');
const compiler = spawnSync('cc', ['--version']).status === 0;

describe('a custom runtime with a compiled C bootstrap', { skip: compiler ? false : 'no C compiler (apt-get install gcc)' }, () => {
  let dir: string;
  let service: LambdaService;
  const logs: LogRecord[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-custom-c-'));
    mkdirSync(join(dir, 'code'));
    const build = spawnSync('cc', ['-O2', '-o', join(dir, 'code', 'bootstrap'), SOURCE], { encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    writeFileSync(join(dir, 'template.yaml'), `
Transform: AWS::Serverless-2016-10-31
Resources:
  CFunction:
    Type: AWS::Serverless::Function
    Properties: { Runtime: provided.al2023, Handler: my.handler, CodeUri: code/ }
`);
    const registry = await FunctionRegistry.fromTemplates([join(dir, 'template.yaml')]);
    service = new LambdaService(registry, { backend: new ProcessBackend(), stateDir: join(dir, '.lambda-workbench') });
    service.logs.add({ write: (record) => logs.push(record) });
  });

  after(async () => {
    await service.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers each event through the Runtime API, warm between invocations', { timeout: 60_000 }, async () => {
    for (const n of [1, 2]) {
      const result = await service.invoke({ functionName: 'CFunction', payload: Buffer.from(JSON.stringify({ n })) });
      assert.equal(result.functionError, undefined, result.payload.toString());
      assert.deepEqual(JSON.parse(result.payload.toString()), {
        handler: 'my.handler',
        cwd: findBubblewrap() ? '/var/task' : join(dir, 'code'),
        event: { n },
      });
      assert.ok(logs.some((record) => record.requestId === result.requestId && record.text === `C runtime handling ${result.requestId}`));
    }
    const initStarts = logs.filter((record) => record.text.startsWith('INIT_START'));
    assert.equal(initStarts.length, 1);
    assert.match(initStarts[0]!.text, /^INIT_START Runtime Version: provided:al2023\.v1\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/);
  });
});
