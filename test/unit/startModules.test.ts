// What `start` (dist/cli.js, a real process) loads before its first answer: not what a template without an API, zip packages or --watch needs.
import assert from 'node:assert/strict';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEndpoint } from '../support/startedEndpoint';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

/** Preloaded into `start`: when the first Invoke answer has been sent, writes the Node.js built-in modules loaded so far. */
const PROBE = `
const http = require('node:http');
const { writeFileSync } = require('node:fs');
const emit = http.Server.prototype.emit;
let seen = false;
http.Server.prototype.emit = function (event, req, res) {
  if (event === 'request' && !seen && req.url.endsWith('/invocations')) {
    seen = true;
    res.once('finish', () => writeFileSync(process.env.LWB_PROBE_OUT, JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)))));
  }
  return emit.apply(this, arguments);
};
`;

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: hello
      CodeUri: src/
      Handler: index.handler
      Runtime: nodejs20.x
`;

describe('start loads only what the template needs before its first answer', { skip: existsSync(CLI) ? false : 'run node esbuild.mjs first' }, () => {
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'lwb-start-modules-'));
    mkdirSync(path.join(root, 'project', 'src'), { recursive: true });
    writeFileSync(path.join(root, 'project', 'template.yaml'), TEMPLATE);
    writeFileSync(path.join(root, 'project', 'src', 'index.js'), 'exports.handler = async (event) => ({ echoed: event.n });\n');
    writeFileSync(path.join(root, 'probe.js'), PROBE);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('neither node:zlib (zip reading) nor the file watcher (chokidar); the template parser (yaml) through its code cache', async () => {
    const cacheDir = path.join(root, 'code-cache');
    const probeOut = path.join(root, 'builtins.json');
    const env = { ...process.env, LAMBDA_WORKBENCH_CODE_CACHE: cacheDir, LWB_PROBE_OUT: probeOut };
    const endpoint = await startEndpoint(path.join(root, 'project'), ['--api-port', '0'], {
      env,
      wrap: (command, args) => ({ command, args: ['-r', path.join(root, 'probe.js'), ...args] }),
    });
    try {
      const answer = await endpoint.client.send(new InvokeCommand({ FunctionName: 'hello', Payload: Buffer.from('{"n":7}') }));
      assert.equal(Buffer.from(answer.Payload ?? []).toString(), '{"echoed":7}');
    } finally {
      assert.equal(await endpoint.stop(), 0);
    }
    const builtins = JSON.parse(readFileSync(probeOut, 'utf8')) as string[];
    assert.ok(builtins.includes('http') && builtins.includes('child_process'), `the probe saw no built-ins: ${builtins.join(', ')}`);
    assert.equal(builtins.includes('zlib'), false, 'node:zlib was loaded before the first answer');
    // Each vendor chunk `start` loaded has its code cache, written at exit at the latest: yaml's, and no chokidar's.
    const caches = readdirSync(cacheDir).sort();
    assert.ok(caches.includes('cliMain-start.v8cache') && caches.includes('cliMain-start.yaml.v8cache'), `caches: ${caches.join(', ')}`);
    assert.equal(caches.some((name) => name.includes('chokidar')), false, `chokidar was loaded: ${caches.join(', ')}`);
  });
});
