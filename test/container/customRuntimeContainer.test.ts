// Custom runtimes (provided.al2023, provided.al2) in containers from the locally built image: the function's bootstrap, compiled or
// the AWS tutorial's shell script, answers through the Runtime API; a missing bootstrap ends as on Lambda (exit status 127).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildRuntimeImage } from '../../src/core/images/runtimeImageBuilder';
import { localImageFor } from '../../src/core/images/localImages';
import { ContainerBackend } from '../../src/core/instances/container/containerBackend';
import { connectDockerEngine } from '../../src/core/instances/container/dockerEngine';
import type { LogRecord } from '../../src/core/logs/logRecord';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import { LambdaService } from '../../src/core/service/lambdaService';
import { engineSkipReason } from './containerHarness';

const C_SOURCE = path.resolve(__dirname, '../../../test/fixtures/custom-c/bootstrap.c');
const compiler = spawnSync('cc', ['--version']).status === 0;
const hasTool = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;

/** The bootstrap and function.sh of the AWS custom runtime tutorial (docs: runtimes-walkthrough), verbatim in behaviour. */
const TUTORIAL_BOOTSTRAP = `#!/bin/sh
set -euo pipefail
source $LAMBDA_TASK_ROOT/"$(echo $_HANDLER | cut -d. -f1).sh"
while true
do
  HEADERS="$(mktemp)"
  EVENT_DATA=$(curl -sS -LD "$HEADERS" "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")
  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  RESPONSE=$($(echo "$_HANDLER" | cut -d. -f2) "$EVENT_DATA")
  curl -sS "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response" -d "$RESPONSE"
done
`;
const TUTORIAL_FUNCTION = `function handler () {
  EVENT_DATA=$1
  echo "$EVENT_DATA" 1>&2;
  RESPONSE="Echoing request: '$EVENT_DATA'"
  echo $RESPONSE
}
`;

describe('custom runtimes in containers (locally built provided images)', { skip: engineSkipReason() }, () => {
  let dir: string;
  let service: LambdaService;
  const logs: LogRecord[] = [];

  before(async () => {
    const { docker } = await connectDockerEngine();
    await buildRuntimeImage(docker, 'provided.al2023');
    await buildRuntimeImage(docker, 'provided.al2');
    dir = mkdtempSync(path.join(tmpdir(), 'lwb-custom-container-'));
    for (const folder of ['c', 'shell', 'empty']) mkdirSync(path.join(dir, folder));
    if (compiler) {
      const build = spawnSync('cc', ['-O2', '-o', path.join(dir, 'c', 'bootstrap'), C_SOURCE], { encoding: 'utf8' });
      assert.equal(build.status, 0, build.stderr);
    }
    writeFileSync(path.join(dir, 'shell', 'bootstrap'), TUTORIAL_BOOTSTRAP);
    chmodSync(path.join(dir, 'shell', 'bootstrap'), 0o755);
    writeFileSync(path.join(dir, 'shell', 'function.sh'), TUTORIAL_FUNCTION);
    writeFileSync(path.join(dir, 'template.yaml'), `
Transform: AWS::Serverless-2016-10-31
Resources:
  CFunction:
    Type: AWS::Serverless::Function
    Properties: { Runtime: provided.al2023, Handler: my.handler, CodeUri: c/ }
  ShellFunction:
    Type: AWS::Serverless::Function
    Properties: { Runtime: provided.al2, Handler: function.handler, CodeUri: shell/ }
  NoBootstrap:
    Type: AWS::Serverless::Function
    Properties: { Runtime: provided.al2023, Handler: x, CodeUri: empty/ }
`);
    const registry = await FunctionRegistry.fromTemplates([path.join(dir, 'template.yaml')]);
    service = new LambdaService(registry, { backend: new ContainerBackend(), stateDir: path.join(dir, '.lambda-workbench') });
    service.logs.add({ write: (record) => logs.push(record) });
  });

  after(async () => {
    await service?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
    const { docker } = await connectDockerEngine();
    for (const runtime of ['provided.al2023', 'provided.al2']) await docker.getImage(localImageFor(runtime)).remove().catch(() => undefined);
  });

  it('runs a compiled bootstrap at /var/task, warm between invocations, INIT_START naming provided:al2023', { skip: compiler ? false : 'no C compiler', timeout: 120_000 }, async () => {
    for (const n of [1, 2]) {
      const result = await service.invoke({ functionName: 'CFunction', payload: Buffer.from(JSON.stringify({ n })) });
      assert.equal(result.functionError, undefined, result.payload.toString());
      assert.deepEqual(JSON.parse(result.payload.toString()), { handler: 'my.handler', cwd: '/var/task', event: { n } });
      assert.ok(logs.some((record) => record.requestId === result.requestId && record.text === `C runtime handling ${result.requestId}`), JSON.stringify(logs));
    }
    const starts = logs.filter((record) => record.functionName === 'CFunction' && record.text.startsWith('INIT_START'));
    assert.equal(starts.length, 1);
    assert.match(starts[0]!.text, /^INIT_START Runtime Version: provided:al2023\.v1\t/);
  });

  it("runs the AWS tutorial's shell bootstrap (bash, curl) on provided.al2", { skip: hasTool('bash') && hasTool('curl') ? false : 'needs bash and curl on this machine', timeout: 120_000 }, async () => {
    const result = await service.invoke({ functionName: 'ShellFunction', payload: Buffer.from('{"text":"Hello"}') });
    assert.equal(result.functionError, undefined, result.payload.toString());
    assert.equal(result.payload.toString(), `Echoing request: '{"text":"Hello"}'`);
    assert.ok(logs.some((record) => record.functionName === 'ShellFunction' && record.text === '{"text":"Hello"}'), JSON.stringify(logs.map((r) => r.text)));
  });

  it('ends as Lambda does when the function has no bootstrap: Runtime.ExitError, exit status 127', { timeout: 120_000 }, async () => {
    const result = await service.invoke({ functionName: 'NoBootstrap', payload: Buffer.from('{}') });
    assert.equal(result.functionError, 'Unhandled');
    const body = JSON.parse(result.payload.toString()) as { errorType: string; errorMessage: string };
    assert.equal(body.errorType, 'Runtime.ExitError');
    assert.match(body.errorMessage, /Runtime exited with error: exit status 127/);
    assert.ok(logs.some((record) => record.text.includes("Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]")), JSON.stringify(logs.map((r) => r.text)));
  });
});
