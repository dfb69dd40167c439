// Security of the containers `start` runs (read back from the engine with docker inspect): no privileges, no added
// capabilities, no host namespaces but the network, no Docker socket, and no host mounts but the code (read-only), its
// layers (read-only), its own /tmp and its output pipes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { LABEL_PID } from '../../src/core/instances/container/containerLabels';
import { engineSkipReason, NODE_RUNTIME, testImage } from '../container/containerHarness';
import { startCli } from '../support/cliServer';
import { descendantsOf } from '../support/processTree';

const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/faults');

interface Inspected {
  Mounts: Array<{ Type: string; Source: string; Destination: string; RW: boolean }>;
  HostConfig: { Privileged: boolean; CapAdd: string[] | null; SecurityOpt: string[] | null; PidMode: string; IpcMode: string; UsernsMode: string; Devices: unknown[] | null };
}

function docker(args: string[]): string {
  const run = spawnSync('docker', args, { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

describe('container privileges', { skip: engineSkipReason() }, () => {
  it('containers run unprivileged, without the Docker socket, with the code read-only and no other host mounts', async () => {
    await testImage(NODE_RUNTIME);
    const dir = mkdtempSync(path.join(tmpdir(), 'lwb-privileges-'));
    cpSync(FIXTURE, dir, { recursive: true });
    const service = await startCli(['--api-port', '0', '--backend', 'container', '--template', 'containers.yaml'], { cwd: dir });
    try {
      const response = await fetch(`${service.apiUrl}/2015-03-31/functions/WorkFunction/invocations`, { method: 'POST', body: '{"id":"inspected"}' });
      assert.equal(response.status, 200, await response.text());
      // The containers of this start (labelled with its pid; wrapped or not, start is the spawned process here).
      const pids = [service.pid, ...descendantsOf(service.pid).map((p) => p.pid)];
      const ids = pids.flatMap((pid) => docker(['ps', '-q', '--no-trunc', '--filter', `label=${LABEL_PID}=${pid}`]).split('\n').filter(Boolean));
      assert.ok(ids.length > 0, 'the invocation ran in a container of this start');
      for (const inspected of JSON.parse(docker(['inspect', ...ids])) as Inspected[]) {
        const host = inspected.HostConfig;
        assert.equal(host.Privileged, false, 'not --privileged');
        assert.deepEqual(host.CapAdd ?? [], [], 'no added capabilities');
        assert.ok(!(host.SecurityOpt ?? []).some((option) => /unconfined|no-new-privileges[:=]false/.test(option)), `security options ${host.SecurityOpt}`);
        assert.ok(host.PidMode !== 'host' && host.IpcMode !== 'host' && host.UsernsMode !== 'host', 'no host pid, ipc or user namespace');
        assert.deepEqual(host.Devices ?? [], [], 'no host devices');
        for (const mount of inspected.Mounts) {
          assert.ok(!/docker\.sock|containerd|podman\.sock/.test(mount.Source), `the engine's socket is mounted: ${mount.Source}`);
          if (mount.Destination === '/var/task' || mount.Destination.startsWith('/opt')) assert.equal(mount.RW, false, `${mount.Destination} is read-only`);
          else {assert.ok(mount.Destination === '/tmp' || /^\/run\/lambda-workbench\b/.test(mount.Destination) || mount.Type === 'volume',
            `unexpected host mount ${mount.Source} -> ${mount.Destination}`);}
          if (mount.Destination === '/tmp') assert.ok(mount.Source.startsWith(dir), `/tmp is the environment's own folder (${mount.Source})`);
        }
        assert.ok(inspected.Mounts.some((mount) => mount.Destination === '/var/task'), 'the code is mounted');
      }
    } finally {
      assert.equal(await service.stop(), 0);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
