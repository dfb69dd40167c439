// dockerode loads without its BuildKit session and ssh2 (unbundled and in dist/vendor), and each deferred part works once called.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Agent } from 'node:http';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type Dockerode from 'dockerode';
import { deferDockerodeParts } from '../../src/core/instances/container/dockerodeDeferredParts';

const testRequire = createRequire(__filename);
const VENDORED = path.resolve(__dirname, '../../../dist/vendor/dockerode.js');
const loaded = (pattern: RegExp) => Object.keys(testRequire.cache).some((file) => pattern.test(file));
const GRPC = /[\\/]@grpc[\\/]grpc-js[\\/]/;
const SSH2 = /[\\/]ssh2[\\/]lib[\\/]/;

/** A ping through an ssh:// address with nothing listening: the ssh agent runs, and the connection is refused. */
async function sshPingFailure(DockerodeClass: typeof Dockerode): Promise<string> {
  const docker = new DockerodeClass({ protocol: 'ssh', host: '127.0.0.1', port: 1, username: 'nobody' });
  return docker.ping().then(
    () => 'answered',
    (error: unknown) => String((error as { code?: unknown }).code ?? (error as Error).message),
  );
}

describe('dockerode deferred parts', () => {
  it('loads dockerode from node_modules without gRPC and ssh2, and loads each on its first call', async () => {
    deferDockerodeParts();
    const { default: DockerodeClass } = await import('dockerode');
    assert.equal(loaded(GRPC), false, 'BuildKit session (gRPC) loaded with dockerode');
    assert.equal(loaded(SSH2), false, 'ssh2 loaded with dockerode');

    assert.equal(await sshPingFailure(DockerodeClass), 'ECONNREFUSED');
    assert.equal(loaded(SSH2), true);

    const sshAgent = testRequire('docker-modem/lib/ssh') as (options: object) => Agent;
    assert.equal(typeof sshAgent({ host: '127.0.0.1', port: 1 }).createConnection, 'function');
    const withSession = testRequire('dockerode/lib/session') as unknown;
    assert.equal(typeof withSession, 'function');
  });

  it('the bundled dockerode (dist/vendor) reaches an ssh:// engine through its deferred ssh2', { skip: existsSync(VENDORED) ? false : 'run node esbuild.mjs first' }, async () => {
    const vendored = testRequire(VENDORED) as typeof Dockerode | { default: typeof Dockerode };
    const DockerodeClass = 'default' in vendored ? vendored.default : vendored;
    assert.equal(await sshPingFailure(DockerodeClass), 'ECONNREFUSED');
  });
});
