// The host key check of ssh:// engines: the host must present a key the user's known_hosts files hold for it, as the
// `ssh` the Docker CLI runs requires; OpenSSH's own `ssh-keygen -F` finds the entries (hashed names, [host]:port, patterns).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerHostKeyAlgorithm } from 'ssh2';

/** What ssh2's connect() takes to check the host key: the check, and the key types to ask for (those known for the host). */
export interface HostKeyOptions {
  hostVerifier: (key: Buffer) => boolean;
  algorithms?: { serverHostKey: ServerHostKeyAlgorithm[] };
}

interface KnownKey {
  type: string;
  /** The key blob, base64, as known_hosts writes it. */
  blob: string;
  revoked: boolean;
}

/** ssh2's host key algorithms in its order of preference, by the key type a known_hosts line names. */
const ALGORITHMS_BY_KEY_TYPE: Record<string, ServerHostKeyAlgorithm[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

const refusals = new WeakMap<HostKeyOptions['hostVerifier'], string>();

/** Why the verifier refused the host's key at its last check (undefined when it did not refuse). */
export function hostKeyRefusal(verifier: unknown): string | undefined {
  return typeof verifier === 'function' ? refusals.get(verifier as HostKeyOptions['hostVerifier']) : undefined;
}

/**
 * The host key check for `host`:`port` against the user's and the system's known_hosts files (OpenSSH's defaults).
 * Reads them now, once per engine address; the key types asked for are the ones known for the host, as ssh does.
 */
export function knownHostsCheck(host: string, port: number, user: string | undefined, home: string, systemDir = '/etc/ssh'): HostKeyOptions {
  const name = port === 22 ? host : `[${host}]:${port}`;
  const files = [join(home, '.ssh', 'known_hosts'), join(home, '.ssh', 'known_hosts2'), join(systemDir, 'ssh_known_hosts'), join(systemDir, 'ssh_known_hosts2')]
    .filter((file) => existsSync(file));
  const lookup = findKnownKeys(name, files);
  const destination = `${port === 22 ? '' : `-p ${port} `}${user ? `${user}@` : ''}${host}`;
  const hostVerifier = (key: Buffer): boolean => {
    const presented = `${keyType(key)} ${fingerprint(key)}`;
    const blob = key.toString('base64');
    const refuse = (reason: string): boolean => {
      refusals.set(hostVerifier, reason);
      return false;
    };
    if (lookup.error) return refuse(`cannot check the host key of ${name} (${presented}): ${lookup.error}`);
    if (lookup.keys.some((known) => known.revoked && known.blob === blob)) {
      return refuse(`the host key of ${name} (${presented}) is marked @revoked in known_hosts`);
    }
    if (lookup.keys.some((known) => !known.revoked && known.blob === blob)) {
      refusals.delete(hostVerifier);
      return true;
    }
    if (lookup.keys.some((known) => !known.revoked)) {
      return refuse(`the host key of ${name} (${presented}) differs from the one known_hosts holds for it: someone may be ` +
        `intercepting the connection. If the host's key was changed on purpose, remove the old one with \`ssh-keygen -R '${name}'\` ` +
        `and connect once with \`ssh ${destination}\` to check and accept the new one`);
    }
    return refuse(`the host key of ${name} (${presented}) is not in ${files.length ? files.join(' or ') : join(home, '.ssh', 'known_hosts')}: ` +
      `connect once with \`ssh ${destination}\`, check the fingerprint and accept it`);
  };
  const algorithms = [...new Set(lookup.keys.filter((known) => !known.revoked).flatMap((known) => ALGORITHMS_BY_KEY_TYPE[known.type] ?? []))];
  return algorithms.length > 0 ? { hostVerifier, algorithms: { serverHostKey: algorithms } } : { hostVerifier };
}

function findKnownKeys(name: string, files: string[]): { keys: KnownKey[]; error?: string } {
  const keys: KnownKey[] = [];
  for (const file of files) {
    const found = spawnSync('ssh-keygen', ['-F', name, '-f', file], { encoding: 'utf8' });
    if (found.error) return { keys, error: `ssh-keygen (OpenSSH's client tools) could not run: ${found.error.message}` };
    for (const line of found.stdout.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const fields = line.split(/\s+/);
      const revoked = fields[0] === '@revoked';
      // @cert-authority lines name a CA for host certificates, which ssh2 does not check: they vouch for no plain key.
      if (fields[0]?.startsWith('@') && !revoked) continue;
      const [type, blob] = fields.slice(fields[0]?.startsWith('@') ? 2 : 1);
      if (type && blob) keys.push({ type, blob, revoked });
    }
  }
  return { keys };
}

/** The key type named at the start of an SSH public key blob (a length-prefixed string). */
function keyType(key: Buffer): string {
  return key.length >= 4 ? key.subarray(4, 4 + key.readUInt32BE(0)).toString('latin1') : 'unknown';
}

/** As ssh prints it: SHA256 of the blob, base64 without padding. */
function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}
