// The CLI on the container backend: `images build` and `invoke --backend container`, as real child processes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { engineSkipReason } from './containerHarness';

const root = path.resolve(__dirname, '../../..');
const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin/lambda-workbench.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });

describe('CLI with containers', { skip: engineSkipReason() }, () => {
  it('builds the local runtime image and reports it up to date the second time', () => {
    const first = cli('images', 'build', 'nodejs20.x');
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^lambda-workbench\/runtime:nodejs20\.x/);
    const second = cli('images', 'build', 'nodejs20.x');
    assert.equal(second.stdout, 'lambda-workbench/runtime:nodejs20.x (up to date)\n');
  });

  it('invokes the example in a container with the same bytes and log lines as the process backend', () => {
    const args = ['invoke', 'HelloFunction', '--template', 'examples/hello/template.yaml', '--event', 'examples/hello/events/hello.json'];
    const inContainer = cli(...args, '--backend', 'container');
    const inProcess = cli(...args);
    assert.equal(inContainer.status, 0, inContainer.stderr);
    assert.equal(inContainer.stdout, inProcess.stdout);
    assert.match(inContainer.stderr, /^START RequestId: \S+ Version: \$LATEST$/m);
    assert.match(inContainer.stderr, /^REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms\t$/m);
  });

  it('refuses an unknown images action with exit 2', () => {
    const result = cli('images', 'push', 'nodejs20.x');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Unknown images action 'push'/);
  });
});
