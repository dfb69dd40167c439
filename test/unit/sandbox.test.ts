// Lambda's filesystem for processes (bubblewrap): code read-only at /var/task, layers read-only at /opt, a private /tmp of
// EphemeralStorage size (ENOSPC beyond it) that a second environment does not see, nothing of the host writable.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findBubblewrap } from '../../src/core/instances/process/sandbox';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import { LambdaService } from '../../src/core/service/lambdaService';

const HANDLER = `
const fs = require('node:fs');
const attempt = (action) => { try { action(); return 'ok'; } catch (error) { return error.code; } };
exports.probe = async (event) => {
  if (event.write) fs.writeFileSync('/tmp/marker', event.write);
  if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  return {
    cwd: process.cwd(),
    taskRoot: process.env.LAMBDA_TASK_ROOT,
    marker: fs.existsSync('/tmp/marker') ? fs.readFileSync('/tmp/marker', 'utf8') : null,
    code: fs.readFileSync('/var/task/index.js', 'utf8').length > 0,
    layer: fs.readFileSync('/opt/data/layer.txt', 'utf8').trim(),
    writeTask: attempt(() => fs.writeFileSync('/var/task/new.txt', 'x')),
    writeOpt: attempt(() => fs.writeFileSync('/opt/new.txt', 'x')),
    writeEtc: attempt(() => fs.writeFileSync('/etc/lambda-workbench-sandbox-test', 'x')),
    writeHost: attempt(() => fs.writeFileSync(event.hostFile, 'x')),
  };
};
exports.fill = async () => {
  const chunk = Buffer.alloc(16 * 1024 * 1024, 1);
  let written = 0;
  try {
    for (;;) { fs.appendFileSync('/tmp/fill', chunk); written += chunk.length; }
  } catch (error) {
    fs.rmSync('/tmp/fill', { force: true });
    return { code: error.code, written };
  }
};
`;

const bwrap = findBubblewrap();

describe('the bubblewrap sandbox of the process backend', { skip: bwrap ? false : 'bubblewrap cannot make a sandbox here (apt-get install bubblewrap)' }, () => {
  let dir: string;
  let service: LambdaService;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-sandbox-'));
    mkdirSync(join(dir, 'code'));
    writeFileSync(join(dir, 'code', 'index.js'), HANDLER);
    mkdirSync(join(dir, 'layer', 'data'), { recursive: true });
    writeFileSync(join(dir, 'layer', 'data', 'layer.txt'), 'from the layer\n');
    writeFileSync(join(dir, 'template.yaml'), `
Transform: AWS::Serverless-2016-10-31
Resources:
  Layer:
    Type: AWS::Serverless::LayerVersion
    Properties: { ContentUri: layer/ }
  Probe:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, Handler: index.probe, CodeUri: code/, Layers: [!Ref Layer], Timeout: 30 }
  Fill:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, Handler: index.fill, CodeUri: code/, EphemeralStorage: { Size: 512 }, Timeout: 60 }
`);
    const registry = await FunctionRegistry.fromTemplates([join(dir, 'template.yaml')]);
    service = new LambdaService(registry, { backend: new ProcessBackend(), stateDir: join(dir, '.lambda-workbench') });
  });

  after(async () => {
    await service.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const invoke = async (functionName: string, event: object) => {
    const result = await service.invoke({ functionName, payload: Buffer.from(JSON.stringify(event)) });
    assert.equal(result.functionError, undefined, result.payload.toString());
    return JSON.parse(result.payload.toString()) as Record<string, unknown>;
  };

  it('runs from a read-only /var/task with the layers at /opt and a private /tmp; nothing of the host is writable', { timeout: 60_000 }, async () => {
    const hostFile = join(dir, 'written-from-the-sandbox');
    const hostTmpMarker = join('/tmp', 'marker');
    const hostMarkerBefore = existsSync(hostTmpMarker);
    const result = await invoke('Probe', { write: 'first environment', hostFile });
    assert.deepEqual(result, {
      cwd: '/var/task', taskRoot: '/var/task', marker: 'first environment', code: true, layer: 'from the layer',
      writeTask: 'EROFS', writeOpt: 'EROFS', writeEtc: 'EROFS', writeHost: 'ENOENT',
    });
    assert.equal(existsSync(hostFile), false, 'the host folders are not even visible');
    assert.equal(existsSync('/etc/lambda-workbench-sandbox-test'), false);
    assert.equal(existsSync(hostTmpMarker), hostMarkerBefore, "the handler's /tmp is not the host's");
  });

  it("gives a second environment its own /tmp, without the first one's files", { timeout: 60_000 }, async () => {
    await service.stopInstances();
    const busy = invoke('Probe', { write: 'busy environment', sleepMs: 3000, hostFile: '/x' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const other = await invoke('Probe', { hostFile: '/x' });
    assert.equal(other.marker, null);
    assert.equal((await busy).marker, 'busy environment');
    assert.equal(service.listInstances().filter((info) => info.functionName === 'Probe').length, 2);
  });

  it('fails writes beyond EphemeralStorage with ENOSPC', { timeout: 120_000 }, async () => {
    const result = await invoke('Fill', {});
    assert.equal(result.code, 'ENOSPC');
    assert.ok((result.written as number) <= 512 * 1024 * 1024 && (result.written as number) >= 480 * 1024 * 1024, String(result.written));
  });
});
