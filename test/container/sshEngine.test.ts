// The container backend against an engine reached over ssh:// (a real sshd on a loopback port, a key made here): the function's
// container sits in a relay's network, and its Runtime API traffic and the debugger travel through the SSH connection.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Dockerode from 'dockerode';
import { isWorkbenchError } from '../../src/core/common/errors';
import { freeLoopbackPort } from '../../src/core/common/loopbackPort';
import { createBackend } from '../../src/core/instances/backendFactory';
import { ContainerBackend } from '../../src/core/instances/container/containerBackend';
import { LABEL_SESSION } from '../../src/core/instances/container/containerLabels';
import { connectDockerEngine } from '../../src/core/instances/container/dockerEngine';
import { CdpClient } from '../adapter/cdpClient';
import { waitFor } from '../support/waitFor';
import { NODE_RUNTIME, engineSkipReason, imagesFor, json, launchDirect, nodeSpec, testImage, type DirectInstance } from './containerHarness';

const SSHD = '/usr/sbin/sshd';

function sshSkipReason(): string | false {
  const engine = engineSkipReason();
  if (engine) return engine;
  if (!existsSync(SSHD)) return 'no sshd (Debian openssh-server, installed by scripts/setup.sh)';
  if (process.getuid?.() !== 0) return 'sshd logs in as root here: the suite runs as root (CI does)';
  return false;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

/** An sshd of this test only: loopback port, its own host key, root's login by the key made here (written to `home`/.ssh). */
async function startSshd(dir: string, home: string): Promise<{ process: ChildProcess; port: number; log: () => string }> {
  const port = await freeLoopbackPort();
  mkdirSync(path.join(home, '.ssh'), { recursive: true, mode: 0o700 });
  const keygen = (file: string) => assert.equal(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]).status, 0, `ssh-keygen ${file}`);
  keygen(path.join(dir, 'host_key'));
  keygen(path.join(home, '.ssh', 'id_ed25519'));
  // As `ssh` would have recorded it: the engine's host key is checked against known_hosts.
  const [keyType, keyBlob] = readFileSync(path.join(dir, 'host_key.pub'), 'utf8').split(' ');
  writeFileSync(path.join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:${port} ${keyType} ${keyBlob}\n`);
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(path.join(home, '.ssh', 'id_ed25519.pub')));
  const config = [
    `ListenAddress 127.0.0.1:${port}`,
    `HostKey ${path.join(dir, 'host_key')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'AllowTcpForwarding yes',
    // debug1 names every forwarded channel's target: the test reads which ports went through SSH.
    'LogLevel DEBUG1',
  ];
  writeFileSync(path.join(dir, 'sshd_config'), `${config.join('\n')}\n`);
  // sshd's privilege separation directory (tmpfs /run: the package's service would make it).
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const logFile = path.join(dir, 'sshd.log');
  const child = spawn(SSHD, ['-D', '-e', '-f', path.join(dir, 'sshd_config'), '-E', logFile], { stdio: 'ignore' });
  await waitFor(() => accepts(port), 30_000, `sshd on 127.0.0.1:${port}`);
  return { process: child, port, log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '') };
}

describe('container backend on an ssh:// engine (relay through the SSH connection)', { skip: sshSkipReason() }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lwb-sshd-'));
  const home = path.join(dir, 'home');
  let sshd: Awaited<ReturnType<typeof startSshd>>;
  let backend: ContainerBackend;
  let docker: Dockerode;
  const open: DirectInstance[] = [];
  const env = { ...process.env };
  delete env.SSH_AUTH_SOCK;

  before(async () => {
    await testImage(NODE_RUNTIME);
    ({ docker } = await connectDockerEngine());
    sshd = await startSshd(dir, home);
    const created = createBackend({
      choice: 'container',
      dockerHost: `ssh://root@127.0.0.1:${sshd.port}`,
      imageOverrides: imagesFor(NODE_RUNTIME),
      container: { engine: { discovery: { env, home, platform: process.platform }, pingTimeoutMs: 20_000 } },
    });
    assert.ok(created instanceof ContainerBackend);
    backend = created;
  });

  after(async () => {
    for (const instance of open) await instance.close();
    await backend?.dispose();
    if (docker && backend) {
      const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL_SESSION}=${backend.sessionId}`] } });
      assert.deepEqual(left, [], 'neither function nor relay container outlives the backend');
    }
    if (sshd) {
      sshd.process.kill('SIGTERM');
      if (sshd.process.exitCode === null) await new Promise((resolve) => sshd.process.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the function in the relay\'s network: its Runtime API connections and uplinks go through the SSH connection', async () => {
    const instance = await launchDirect(backend, nodeSpec('OverSsh', 'handlers.echo'));
    open.push(instance);
    assert.deepEqual(json((await instance.invoke({ hello: 'ssh' })).payload).event, { hello: 'ssh' });
    assert.deepEqual(json((await instance.invoke({ again: 1 })).payload).event, { again: 1 }, 'a warm invocation too');

    const inspected = await docker.getContainer(instance.handle.displayId.replace('container ', '')).inspect();
    const relayId = /^container:(.+)$/.exec(inspected.HostConfig.NetworkMode ?? '')?.[1];
    assert.ok(relayId, `the function joins a relay's network (${inspected.HostConfig.NetworkMode})`);
    assert.deepEqual(inspected.Mounts, [], 'nothing of this machine is mounted');
    const relay = await docker.getContainer(relayId).inspect();
    assert.equal(relay.HostConfig.NetworkMode, 'bridge', 'the relay is not on the host network: 127.0.0.1 inside is not this machine');
    const bindings = Object.values(relay.HostConfig.PortBindings ?? {}).flat() as { HostIp: string; HostPort: string }[];
    assert.equal(bindings.length, 1, 'one published port');
    assert.equal(bindings[0]?.HostIp, '127.0.0.1', 'published on the engine host\'s loopback only (reached through SSH)');
    const published = (relay.NetworkSettings.Ports as Record<string, { HostPort: string }[]>)[Object.keys(relay.HostConfig.PortBindings ?? {})[0]!]?.[0]?.HostPort;
    assert.ok(published);
    assert.match(sshd.log(), new RegExp(`target 127\\.0\\.0\\.1 port ${published}\\b`), 'the uplinks are channels of the SSH connection');
  });

  it('refuses an engine host whose key known_hosts lacks or contradicts, naming the key and the fix', async () => {
    const attempt = async (knownHosts: string): Promise<string> => {
      const otherHome = mkdtempSync(path.join(dir, 'home-'));
      mkdirSync(path.join(otherHome, '.ssh'));
      copyFileSync(path.join(home, '.ssh', 'id_ed25519'), path.join(otherHome, '.ssh', 'id_ed25519'));
      writeFileSync(path.join(otherHome, '.ssh', 'known_hosts'), knownHosts);
      const refused = createBackend({
        choice: 'container',
        dockerHost: `ssh://root@127.0.0.1:${sshd.port}`,
        imageOverrides: imagesFor(NODE_RUNTIME),
        container: { engine: { discovery: { env, home: otherHome, platform: process.platform }, pingTimeoutMs: 20_000 } },
      });
      assert.ok(refused instanceof ContainerBackend);
      try {
        const error = await launchDirect(refused, nodeSpec('Refused', 'handlers.echo')).then(() => undefined, (e: unknown) => e);
        assert.ok(isWorkbenchError(error, 'DOCKER_UNAVAILABLE'), String(error));
        assert.match(error.options.hint ?? '', /add its key to known_hosts/, 'not the advice to start Docker');
        return error.message;
      } finally {
        await refused.dispose();
      }
    };
    const fingerprint = spawnSync('ssh-keygen', ['-l', '-f', path.join(dir, 'host_key.pub')], { encoding: 'utf8' }).stdout.split(' ')[1] as string;
    const unknown = await attempt('');
    assert.match(unknown, new RegExp(`the host key of \\[127\\.0\\.0\\.1\\]:${sshd.port} \\(ssh-ed25519 ${fingerprint.replace(/[+/]/g, '\\$&')}\\) is not in`));
    assert.match(unknown, new RegExp(`connect once with \`ssh -p ${sshd.port} root@127\\.0\\.0\\.1\``));
    const stranger = readFileSync(path.join(home, '.ssh', 'id_ed25519.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    assert.match(await attempt(`[127.0.0.1]:${sshd.port} ${stranger}\n`), /differs from the one known_hosts holds for it: someone may be intercepting the connection/);
  });

  it('reaches the Node inspector inside through the relay, on this machine\'s loopback port', async () => {
    const port = await freeLoopbackPort();
    const instance = await launchDirect(backend, nodeSpec('DebugOverSsh', 'handlers.echo'), { debug: { port, breakOnStart: false } });
    open.push(instance);
    let version = '';
    await waitFor(async () => {
      version = await httpGet(`http://127.0.0.1:${port}/json/version`).catch(() => '');
      return version.includes('Protocol-Version');
    }, 60_000, 'the inspector through the relay');
    // The local image waits for the debugger before init (--inspect-wait): the invocation proves the session works.
    const debuggerClient = await CdpClient.connect(port);
    await debuggerClient.send('Runtime.runIfWaitingForDebugger');
    assert.equal(json((await instance.invoke({ d: 1 })).payload).event.d, 1);
    await debuggerClient.close();
  });
});
