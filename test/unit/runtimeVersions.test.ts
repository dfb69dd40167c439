// Runtime versions honoured on the process backend: fake interpreters (scripts that report a version, then run the real one)
// on a temporary PATH, in an nvm folder and in the interpreter map; a runtime with no match is said once, before INIT_START.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import { LambdaService } from '../../src/core/service/lambdaService';

const REAL_PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)']).toString().trim();

/** A script that answers --version like the real interpreter would, and otherwise runs the real one, marked. */
function fakeInterpreter(file: string, versionLine: string, marker: string, real: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "${versionLine}"; exit 0; fi\nexport LWB_FAKE_INTERPRETER=${marker}\nexec "${real}" "$@"\n`);
  chmodSync(file, 0o755);
}

const PY_HANDLER = 'import os\ndef handler(event, context):\n    return os.environ.get("LWB_FAKE_INTERPRETER")\n';
const NODE_HANDLER = 'exports.handler = async () => process.env.LWB_FAKE_INTERPRETER;\n';

describe('runtime versions on the process backend', () => {
  let dir: string;
  let service: LambdaService;
  const timeline: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-versions-'));
    const bin = join(dir, 'bin');
    fakeInterpreter(join(bin, 'python3.12'), 'Python 3.12.1', 'path-python3.12', REAL_PYTHON);
    fakeInterpreter(join(bin, 'python3'), 'Python 3.9.5', 'path-python3', REAL_PYTHON);
    const home = join(dir, 'home');
    fakeInterpreter(join(home, '.nvm', 'versions', 'node', 'v24.1.0', 'bin', 'node'), 'v24.1.0', 'nvm-node24', process.execPath);
    fakeInterpreter(join(dir, 'mapped', 'node'), 'v22.3.0', 'mapped-node22', process.execPath);
    mkdirSync(join(dir, 'py'));
    writeFileSync(join(dir, 'py', 'app.py'), PY_HANDLER);
    mkdirSync(join(dir, 'node'));
    writeFileSync(join(dir, 'node', 'index.js'), NODE_HANDLER);
    const fn = (runtime: string) => runtime.startsWith('python')
      ? `{ Runtime: ${runtime}, Handler: app.handler, CodeUri: py/ }`
      : `{ Runtime: ${runtime}, Handler: index.handler, CodeUri: node/ }`;
    writeFileSync(join(dir, 'template.yaml'), `
Transform: AWS::Serverless-2016-10-31
Resources:
  Py312: { Type: AWS::Serverless::Function, Properties: ${fn('python3.12')} }
  Py313: { Type: AWS::Serverless::Function, Properties: ${fn('python3.13')} }
  Node24: { Type: AWS::Serverless::Function, Properties: ${fn('nodejs24.x')} }
  Node22: { Type: AWS::Serverless::Function, Properties: ${fn('nodejs22.x')} }
`);
    const registry = await FunctionRegistry.fromTemplates([join(dir, 'template.yaml')]);
    const backend = new ProcessBackend({
      interpreters: { 'nodejs22.x': join(dir, 'mapped', 'node') },
      discovery: { env: { PATH: bin }, home },
      // The fakes exec interpreters that live elsewhere (a pyenv install, say), which a sandbox would not show.
      sandbox: 'off',
    });
    service = new LambdaService(registry, { backend, stateDir: join(dir, '.lambda-workbench') });
    service.logs.add({ write: (record) => timeline.push(`${record.functionName} ${record.text}`) });
    service.onDidWarn((message) => timeline.push(`warning ${message}`));
  });

  after(async () => {
    await service.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const invoke = async (functionName: string) => {
    const result = await service.invoke({ functionName, payload: Buffer.from('{}') });
    assert.equal(result.functionError, undefined, result.payload.toString());
    return JSON.parse(result.payload.toString()) as string;
  };
  const initStarts = (functionName: string) =>
    timeline.filter((line) => line.startsWith(`${functionName} INIT_START`)).map((line) => line.slice(functionName.length + 1));

  it('runs each runtime on the interpreter of its version: PATH, an nvm install, the interpreter map', { timeout: 120_000 }, async () => {
    assert.equal(await invoke('Py312'), 'path-python3.12');
    assert.equal(await invoke('Node24'), 'nvm-node24');
    assert.equal(await invoke('Node22'), 'mapped-node22');
    assert.match(initStarts('Py312')[0]!, /^INIT_START Runtime Version: python:3\.12\.1\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/);
    assert.match(initStarts('Node24')[0]!, /^INIT_START Runtime Version: nodejs:24\.1\.0\t/);
    assert.match(initStarts('Node22')[0]!, /^INIT_START Runtime Version: nodejs:22\.3\.0\t/);
    assert.deepEqual(timeline.filter((line) => line.startsWith('warning')), []);
  });

  it('says once, before INIT_START, that no interpreter matches, naming the container backend; INIT_START names the one used', { timeout: 120_000 }, async () => {
    assert.equal(await invoke('Py313'), 'path-python3');
    await service.stopInstances('Py313');
    assert.equal(await invoke('Py313'), 'path-python3');
    const warnings = timeline.filter((line) => line.startsWith('warning'));
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /^warning Py313: python3\.13 needs Python 3\.13, but none was found, so it runs on Python 3\.9\.5 \(.*\/bin\/python3\)\. .*--backend container/);
    assert.ok(timeline.indexOf(warnings[0]!) < timeline.findIndex((line) => line.startsWith('Py313 INIT_START')));
    const [first, second] = initStarts('Py313');
    assert.match(first!, /^INIT_START Runtime Version: python:3\.9\.5\t/);
    assert.equal(second, first, 'the Runtime Version ARN is stable per runtime and interpreter');
    assert.notEqual(first!.split('\t')[1], initStarts('Py312')[0]!.split('\t')[1], 'another interpreter, another ARN');
  });
});
