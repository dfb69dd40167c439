// No orphans: containers of a service killed with SIGKILL are removed by its reaper, or else by the next backend.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { before, describe, it } from 'node:test';
import { ContainerBackend } from '../../src/core/instances/container/containerBackend';
import { LABEL_SESSION } from '../../src/core/instances/container/containerLabels';
import { outputPipesPrefix } from '../../src/core/instances/container/outputPipes';
import { NODE_RUNTIME, containersWithLabel, engineSkipReason, testImage } from './containerHarness';

/** Starts a service-like child that owns a backend with one running container; resolves with its session id. */
async function startOwner(mode: 'reaper' | 'no-reaper') {
  const child = spawn(process.execPath, [path.join(__dirname, 'serviceOwner.js'), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  await Promise.race([
    new Promise<void>((resolve) => child.stdout.on('data', () => output.includes('\n') && resolve())),
    once(child, 'exit').then(([code]) => assert.fail(`the owner process exited early with ${code}: ${errors}`)),
  ]);
  const { sessionId, tmpDir } = JSON.parse(output) as { sessionId: string; tmpDir: string };
  return { child, sessionId, tmpDir, label: `${LABEL_SESSION}=${sessionId}` };
}

/** The output pipe directories a session has on this machine. */
function pipeDirectories(sessionId: string): string[] {
  const prefix = path.basename(outputPipesPrefix(sessionId));
  return readdirSync(tmpdir()).filter((name) => name.startsWith(prefix));
}

/** SIGKILLs the owner; the /tmp folder of its environment is left, as a killed service leaves it in its state directory. */
async function kill(owner: { child: ReturnType<typeof spawn>; tmpDir: string }): Promise<void> {
  const exited = once(owner.child, 'exit');
  owner.child.kill('SIGKILL');
  await exited;
  rmSync(owner.tmpDir, { recursive: true, force: true });
}

describe('no orphaned containers', { skip: engineSkipReason() }, () => {
  before(() => testImage(NODE_RUNTIME));

  it('the reaper removes the containers of a service that was SIGKILLed', async () => {
    const owner = await startOwner('reaper');
    assert.equal((await containersWithLabel(owner.label)).length, 1);
    assert.equal(pipeDirectories(owner.sessionId).length, 1, 'its container has output pipes');
    await kill(owner);
    // The reaper polls its owner twice a second; give it ample time before declaring failure.
    for (let attempt = 0; attempt < 100 && (await containersWithLabel(owner.label)).length > 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.deepEqual(await containersWithLabel(owner.label), []);
    for (let attempt = 0; attempt < 50 && pipeDirectories(owner.sessionId).length > 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(pipeDirectories(owner.sessionId), [], 'the output pipes went with the container');
  });

  it('without a reaper, the next backend removes containers whose owner process is dead, and keeps live ones', async () => {
    const dead = await startOwner('no-reaper');
    const live = await startOwner('no-reaper');
    await kill(dead);
    assert.equal((await containersWithLabel(dead.label)).length, 1, 'left behind by the killed service');
    const next = new ContainerBackend({ reaper: false });
    try {
      await next.connect();
      assert.deepEqual(await containersWithLabel(dead.label), []);
      assert.deepEqual(pipeDirectories(dead.sessionId), [], 'and its output pipes');
      assert.equal((await containersWithLabel(live.label)).length, 1, 'a running service keeps its containers');
    } finally {
      await kill(live);
      await next.dispose();
      const sweeper = new ContainerBackend({ reaper: false });
      await sweeper.connect();
      await sweeper.dispose();
    }
    assert.deepEqual(await containersWithLabel(live.label), []);
  });
});
