// The ssh:// engine's host key check against known_hosts files written here, with keys made by OpenSSH's ssh-keygen.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { hostKeyRefusal, knownHostsCheck } from '../../src/core/instances/container/sshKnownHosts';

const noKeygen = spawnSync('ssh-keygen', ['-?']).error ? 'no ssh-keygen (Debian openssh-client, installed by scripts/setup.sh)' : false;

describe('ssh:// engine host keys (known_hosts)', { skip: noKeygen }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lwb-known-hosts-'));
  const home = path.join(dir, 'home');
  const systemDir = path.join(dir, 'etc-ssh');
  mkdirSync(path.join(home, '.ssh'), { recursive: true });
  mkdirSync(systemDir);
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A new host key: its known_hosts text ("type base64") and the blob an SSH server presents. */
  const hostKey = (name: string, type: string): { line: string; blob: Buffer } => {
    const file = path.join(dir, name);
    assert.equal(spawnSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file]).status, 0);
    const [keyType, base64] = readFileSync(`${file}.pub`, 'utf8').split(' ');
    return { line: `${keyType} ${base64}`, blob: Buffer.from(base64 as string, 'base64') };
  };
  const builder = hostKey('builder', 'ed25519');
  const other = hostKey('other', 'ed25519');
  const rsa = hostKey('rsa', 'rsa');
  const userFile = path.join(home, '.ssh', 'known_hosts');
  writeFileSync(userFile, [
    `[builder.internal]:2222 ${builder.line}`,
    `*.example.com ${other.line}`,
    `@revoked [gone.internal]:2222 ${other.line}`,
    `[gone.internal]:2222 ${builder.line}`,
    '',
  ].join('\n'));
  writeFileSync(path.join(systemDir, 'ssh_known_hosts'), `legacy.internal ${rsa.line}\n`);
  // Hashed names, as `HashKnownHosts yes` writes them.
  const hashed = path.join(home, '.ssh', 'known_hosts2');
  writeFileSync(hashed, `[hashed.internal]:2200 ${builder.line}\n`);
  assert.equal(spawnSync('ssh-keygen', ['-H', '-f', hashed]).status, 0);
  assert.doesNotMatch(readFileSync(hashed, 'utf8'), /hashed\.internal/);

  it('accepts the key known_hosts holds for the host (plain, [host]:port, hashed, pattern, system file)', () => {
    for (const [host, port, key] of [['builder.internal', 2222, builder], ['hashed.internal', 2200, builder], ['ci.example.com', 22, other], ['legacy.internal', 22, rsa]] as const) {
      const check = knownHostsCheck(host, port, 'me', home, systemDir);
      assert.equal(check.hostVerifier(key.blob), true, `${host}:${port}`);
      assert.equal(hostKeyRefusal(check.hostVerifier), undefined);
    }
  });

  it('asks the host for the key types known for it, as ssh does', () => {
    assert.deepEqual(knownHostsCheck('builder.internal', 2222, 'me', home, systemDir).algorithms, { serverHostKey: ['ssh-ed25519'] });
    assert.deepEqual(knownHostsCheck('legacy.internal', 22, 'me', home, systemDir).algorithms, { serverHostKey: ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] });
    assert.equal(knownHostsCheck('unknown.internal', 22, 'me', home, systemDir).algorithms, undefined);
  });

  it('refuses a changed key, naming its fingerprint and how to replace it', () => {
    const check = knownHostsCheck('builder.internal', 2222, 'me', home, systemDir);
    assert.equal(check.hostVerifier(other.blob), false);
    const reason = hostKeyRefusal(check.hostVerifier) ?? '';
    assert.match(reason, /^the host key of \[builder\.internal\]:2222 \(ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}\) differs from the one known_hosts holds/);
    assert.match(reason, /ssh-keygen -R '\[builder\.internal\]:2222'/);
    assert.match(reason, /ssh -p 2222 me@builder\.internal/);
    const sha = spawnSync('ssh-keygen', ['-l', '-f', path.join(dir, 'other.pub')], { encoding: 'utf8' }).stdout.split(' ')[1];
    assert.ok(reason.includes(sha as string), `the fingerprint ssh-keygen -l prints (${sha})`);
  });

  it('refuses an unknown host and a revoked key', () => {
    const unknown = knownHostsCheck('unknown.internal', 22, undefined, home, systemDir);
    assert.equal(unknown.hostVerifier(builder.blob), false);
    assert.match(hostKeyRefusal(unknown.hostVerifier) ?? '', /^the host key of unknown\.internal \(ssh-ed25519 SHA256:\S+\) is not in .*known_hosts.*: connect once with `ssh unknown\.internal`/);
    const gone = knownHostsCheck('gone.internal', 2222, 'me', home, systemDir);
    assert.equal(gone.hostVerifier(other.blob), false);
    assert.match(hostKeyRefusal(gone.hostVerifier) ?? '', /is marked @revoked in known_hosts$/);
    assert.equal(gone.hostVerifier(builder.blob), true, 'the host\'s other, valid key');
  });

  it('refuses every key when no known_hosts file exists', () => {
    const empty = path.join(dir, 'empty-home');
    mkdirSync(empty);
    const check = knownHostsCheck('builder.internal', 2222, 'me', empty, path.join(dir, 'no-etc'));
    assert.equal(check.hostVerifier(builder.blob), false);
    assert.match(hostKeyRefusal(check.hostVerifier) ?? '', new RegExp(`is not in ${path.join(empty, '.ssh', 'known_hosts').replace(/[.]/g, '\\.')}:`));
  });
});
