// The container backend against Podman's Docker-compatible API (rootful `podman system service` on a socket of this test, with
// its own storage): the local runtime image imported into Podman, and every engine behaviour.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { buildRuntimeImage } from '../../src/core/images/runtimeImageBuilder';
import { localImageFor } from '../../src/core/images/localImages';
import { createBackend } from '../../src/core/instances/backendFactory';
import { ContainerBackend } from '../../src/core/instances/container/containerBackend';
import { LABEL_SESSION } from '../../src/core/instances/container/containerLabels';
import { EngineUnderTest, declareEngineBehaviours, engineSpec, json, sharedEngineSpecs } from '../support/engineBehaviours';
import { waitFor } from '../support/waitFor';
import { NODE_RUNTIME, fixtures, imagesFor } from './containerHarness';

function podmanSkipReason(): string | false {
  if (spawnSync('podman', ['--version']).status !== 0) return 'no podman (Debian podman, installed by scripts/setup.sh)';
  if (process.getuid?.() !== 0) return 'the suite runs rootful Podman (as CI does, as root)';
  return false;
}

/** Podman's service on `socket`, its storage under `dir` (nothing shared with another Podman or Docker). */
function startPodman(dir: string, socket: string): ChildProcess {
  const storage = ['--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'run'), '--tmpdir', path.join(dir, 'tmp')];
  // cgroupfs and file events: no systemd here (nor on CI machines).
  const options = ['--cgroup-manager=cgroupfs', '--events-backend=file'];
  // Its own TMPDIR too: the service leaves the uploads it imports (api_load.tar*) in it.
  mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  const env = { ...process.env, TMPDIR: path.join(dir, 'tmp') };
  return spawn('podman', [...storage, ...options, 'system', 'service', '--time=0', `unix://${socket}`], { stdio: 'ignore', env });
}

/** The mount points under `dir`, deepest first. */
function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((point) => point.startsWith(dir + path.sep))
    .sort((a, b) => b.length - a.length);
}

/**
 * Podman leaves its storage's private mount behind when its service ends, and the `podman container cleanup` that conmon
 * runs after a container's end (a process of its own, on the same storage) may mount it again meanwhile: unmounted until
 * the folder can be removed.
 */
async function removeStorage(dir: string): Promise<void> {
  await waitFor(
    () => {
      for (const point of mountsUnder(dir)) spawnSync('umount', ['-l', point]);
      try {
        rmSync(dir, { recursive: true, force: true });
        return true;
      } catch {
        return false;
      }
    },
    60_000,
    `Podman's storage under ${dir} to be released`,
  );
}

describe('container backend on Podman\'s Docker-compatible API', { skip: podmanSkipReason() }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lwb-podman-'));
  const socket = path.join(dir, 'podman.sock');
  const engine = new EngineUnderTest();
  let podman: ChildProcess | undefined;
  let docker: Dockerode;
  let backend: ContainerBackend;

  before(async () => {
    podman = startPodman(dir, socket);
    docker = new Dockerode({ socketPath: socket });
    await waitFor(async () => existsSync(socket) && (await docker.ping().then(() => true, () => false)), 60_000, `Podman's socket ${socket}`);
    await buildRuntimeImage(docker, NODE_RUNTIME);
    const created = createBackend({ choice: 'container', dockerHost: `unix://${socket}`, imageOverrides: imagesFor(NODE_RUNTIME) });
    assert.ok(created instanceof ContainerBackend);
    backend = created;
    engine.start(backend, [
      ...sharedEngineSpecs(),
      engineSpec('Whoami', 'handlers.whoami'),
      engineSpec('Layers', 'handlers.layers', {
        layers: [
          { ref: 'LayerA', contentDir: path.join(fixtures, 'layerA') },
          { ref: 'LayerB', contentDir: path.join(fixtures, 'layerB') },
        ],
      }),
    ]);
  });

  after(async () => {
    await engine.dispose();
    if (backend) {
      const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL_SESSION}=${backend.sessionId}`] } });
      assert.deepEqual(left, [], 'no container outlives the service');
    }
    if (podman && podman.exitCode === null) {
      podman.kill('SIGTERM');
      await new Promise((resolve) => podman!.once('exit', resolve));
    }
    await removeStorage(dir);
  });

  declareEngineBehaviours(engine, {
    taskRoot: '/var/task',
    measuredMemory: { aboveMB: 0, source: "container's cgroup" },
    oomPeakIsTheLimit: true,
    // Podman's defaults (containers.conf): every container gets TERM=xterm and container=podman.
    extraVariables: ['HOSTNAME', 'HOME', 'TERM', 'container'],
    oomKillUnreported: process.platform === 'linux' && !existsSync('/sys/fs/cgroup/cgroup.controllers')
      ? 'Podman 4.3 on cgroup v1 reports no OOM kill (State.OOMKilled stays false), so the kill is a plain SIGKILL'
      : undefined,
  });

  it('imports the local runtime image under its own tag, with its labels apart', async () => {
    const inspected = await docker.getImage(localImageFor(NODE_RUNTIME)).inspect();
    assert.ok(inspected.RepoTags?.some((tag) => tag.endsWith(`lambda-workbench/runtime:${NODE_RUNTIME}`)), JSON.stringify(inspected.RepoTags));
    assert.equal(inspected.Config.Labels?.['lambda-workbench.runtime'], NODE_RUNTIME);
    assert.equal(inspected.Config.Labels?.['lambda-workbench.output-pipes'], '1');
  });

  it('mounts the code at /var/task and merges the layers at /opt in Podman\'s containers', async () => {
    const whoami = json((await engine.invoke('Whoami')).payload);
    assert.equal(whoami.cwd, '/var/task');
    assert.ok(whoami.task.includes('handlers.js'), JSON.stringify(whoami.task));
    assert.deepEqual(json((await engine.invoke('Layers')).payload), { shared: 'layerB', onlyA: 'layerA', onlyB: 'layerB', opt: ['onlyA', 'onlyB', 'shared'] });
    const ours = await docker.listContainers({ all: true, filters: { label: [`${LABEL_SESSION}=${backend.sessionId}`] } });
    assert.ok(ours.length > 0, 'the environments are Podman\'s containers');
  });
});
