// Engine discovery, the engine-down error, official image names and container options: no Docker engine needed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { isWorkbenchError } from '../../src/core/common/errors';
import { officialImageFor } from '../../src/core/images/officialImages';
import { ContainerBackend } from '../../src/core/instances/container/containerBackend';
import { containerCreateOptions } from '../../src/core/instances/container/containerConfig';
import { discoverEngineEndpoints } from '../../src/core/instances/container/engineEndpoints';
import { nodeSpec } from './containerHarness';

describe('engine discovery and container options', () => {
  const home = mkdtempSync(path.join(tmpdir(), 'lwb-docker-home-'));
  after(() => rmSync(home, { recursive: true, force: true }));

  it('uses DOCKER_HOST alone when it is set (unix, tcp, ssh)', () => {
    const unix = discoverEngineEndpoints({ env: { DOCKER_HOST: 'unix:///tmp/x.sock' }, home, platform: 'linux' });
    assert.equal(unix.explicit, true);
    assert.deepEqual(unix.endpoints.map((e) => e.connection), [{ socketPath: '/tmp/x.sock' }]);
    const tcp = discoverEngineEndpoints({ env: { DOCKER_HOST: 'tcp://10.1.2.3:2375' }, home, platform: 'linux' });
    assert.deepEqual(tcp.endpoints[0]?.connection, { protocol: 'http', host: '10.1.2.3', port: 2375 });
    const ssh = discoverEngineEndpoints({ env: { DOCKER_HOST: 'ssh://me@builder:2222', SSH_AUTH_SOCK: '/agent' }, home, platform: 'linux' });
    const { sshOptions, ...sshConnection } = ssh.endpoints[0]?.connection as { sshOptions?: { hostVerifier?: unknown } };
    assert.deepEqual(sshConnection, { protocol: 'ssh', host: 'builder', port: 2222, username: 'me' });
    assert.deepEqual({ ...sshOptions, hostVerifier: typeof sshOptions?.hostVerifier }, { agent: '/agent', hostVerifier: 'function' }, 'the host key is checked against known_hosts');
    assert.throws(
      () => discoverEngineEndpoints({ env: { DOCKER_HOST: 'ftp://nope' }, home, platform: 'linux' }),
      (e: unknown) => isWorkbenchError(e, 'DOCKER_UNAVAILABLE') && /Unsupported Docker engine address/.test(e.message),
    );
  });

  it('reads the current Docker context from config.json and its endpoint from the context metadata', () => {
    const name = 'colima';
    const metaDir = path.join(home, '.docker', 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
    mkdirSync(metaDir, { recursive: true });
    writeFileSync(path.join(metaDir, 'meta.json'), JSON.stringify({ Name: name, Endpoints: { docker: { Host: 'unix:///ctx/docker.sock' } } }));
    writeFileSync(path.join(home, '.docker', 'config.json'), JSON.stringify({ currentContext: name }));
    const found = discoverEngineEndpoints({ env: {}, home, platform: 'linux' });
    assert.equal(found.explicit, false);
    assert.deepEqual(found.endpoints[0]?.connection, { socketPath: '/ctx/docker.sock' });
    assert.match(found.endpoints[0]?.label ?? '', /Docker context "colima"/);
    const explicit = discoverEngineEndpoints({ env: { DOCKER_CONTEXT: name }, home, platform: 'linux' });
    assert.equal(explicit.explicit, true);
    assert.throws(() => discoverEngineEndpoints({ env: { DOCKER_CONTEXT: 'missing' }, home, platform: 'linux' }), /Docker context "missing"/);
  });

  it('lists the Docker and Podman sockets it looked for, present or not', () => {
    const found = discoverEngineEndpoints({ env: { XDG_RUNTIME_DIR: path.join(home, 'run') }, home: path.join(home, 'nobody'), platform: 'linux' });
    const all = [...found.endpoints.map((e) => e.label), ...found.absent].join('\n');
    assert.match(all, /\/var\/run\/docker\.sock/);
    assert.match(all, /podman\/podman\.sock \(rootless Podman/);
    assert.match(all, /\/run\/podman\/podman\.sock/);
    assert.match(all, /\.docker\/run\/docker\.sock \(Docker Desktop/);
  });

  it('fails fast with DOCKER_UNAVAILABLE naming what was tried and the process backend', { timeout: 10_000 }, async () => {
    const backend = new ContainerBackend({ engine: { discovery: { env: { DOCKER_HOST: 'unix:///nonexistent.sock' }, home, platform: 'linux' } } });
    await assert.rejects(backend.connect(), (e: unknown) => {
      assert.ok(isWorkbenchError(e, 'DOCKER_UNAVAILABLE'));
      assert.match(e.describe(), /unix:\/\/\/nonexistent\.sock \(DOCKER_HOST\): no such socket/);
      assert.match(e.describe(), /--backend process/);
      return true;
    });
    await backend.dispose();
  });

  it('names the official base image per runtime and architecture', () => {
    assert.equal(officialImageFor('nodejs20.x', 'x86_64'), 'public.ecr.aws/lambda/nodejs:20-x86_64');
    assert.equal(officialImageFor('python3.12', 'arm64'), 'public.ecr.aws/lambda/python:3.12-arm64');
    assert.equal(officialImageFor('provided.al2023', 'x86_64'), 'public.ecr.aws/lambda/provided:al2023-x86_64');
    assert.equal(officialImageFor('java8.al2', 'x86_64'), 'public.ecr.aws/lambda/java:8.al2-x86_64');
    assert.throws(() => officialImageFor('cobol1.x', 'x86_64'), /No official Lambda base image is known for runtime "cobol1.x"/);
  });

  it('on bridge networks reaches the host through host-gateway and publishes the debug port on 127.0.0.1 only', () => {
    const spec = nodeSpec('Bridge', 'handlers.echo', { memorySizeMB: 256 });
    const options = containerCreateOptions(
      {
        instanceId: 'Bridge-1',
        spec,
        codeDir: spec.codeDir,
        layerDirs: [],
        tmpDir: '/tmp/instance',
        runtimeApiHostPort: '127.0.0.1:4567',
        environment: { LAMBDA_TASK_ROOT: spec.codeDir, TMPDIR_HINT: '/tmp/instance/x' },
        debug: { port: 9229, breakOnStart: true },
        onOutput: () => undefined,
      },
      { image: 'public.ecr.aws/lambda/nodejs:20-x86_64', ours: false, networkMode: 'bridge', sessionId: 'session-1' },
    );
    assert.deepEqual(options.HostConfig?.PortBindings, { '9229/tcp': [{ HostIp: '127.0.0.1', HostPort: '9229' }] });
    assert.deepEqual(options.HostConfig?.ExtraHosts, ['host.docker.internal:host-gateway']);
    assert.equal(options.HostConfig?.Memory, 256 * 1024 * 1024);
    assert.deepEqual(options.Cmd, ['handlers.echo'], 'official images take the handler as their command');
    const env = Object.fromEntries((options.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
    assert.equal(env.AWS_LAMBDA_RUNTIME_API, 'host.docker.internal:4567');
    assert.equal(env.LAMBDA_TASK_ROOT, '/var/task');
    assert.equal(env.TMPDIR_HINT, '/tmp/x', 'host paths become container paths');
    assert.equal(env.NODE_OPTIONS, '--inspect-brk=0.0.0.0:9229', 'inside its own network namespace, reachable only through the binding');
    assert.equal(options.Labels?.['lambda-workbench.session'], 'session-1');
  });
});
