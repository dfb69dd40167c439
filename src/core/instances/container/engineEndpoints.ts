// Where a Docker-compatible engine may listen: DOCKER_HOST, Docker contexts, and the well-known Docker and Podman sockets.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { WorkbenchError } from '../../common/errors';
import { knownHostsCheck, type HostKeyOptions } from './sshKnownHosts';

/** Constructor options for dockerode (a subset of docker-modem's options). */
export type EngineConnection =
  | { socketPath: string }
  | {
      protocol: 'http' | 'https' | 'ssh';
      host: string;
      port: number;
      username?: string;
      ca?: Buffer;
      cert?: Buffer;
      key?: Buffer;
      /** ssh2's options: the key (an agent or an identity file) and the host key check against known_hosts. */
      sshOptions?: { agent?: string; privateKey?: Buffer } & HostKeyOptions;
    };

export interface EngineEndpoint {
  /** What the user would recognise, e.g. "unix:///var/run/docker.sock (default Docker socket)". */
  label: string;
  connection: EngineConnection;
}

/** The discovery result: endpoints to try in order, and whether the user chose them explicitly. */
export interface EngineCandidates {
  endpoints: EngineEndpoint[];
  /** Endpoints that were considered but do not exist on this machine (for the error message). */
  absent: string[];
  /** DOCKER_HOST or DOCKER_CONTEXT named the engine: nothing else is tried. */
  explicit: boolean;
}

export interface DiscoveryEnvironment {
  env: NodeJS.ProcessEnv;
  home: string;
  platform: NodeJS.Platform;
}

const DEFAULT_ENVIRONMENT: DiscoveryEnvironment = { env: process.env, home: homedir(), platform: process.platform };

/** Lists the engine endpoints to try, in the order the Docker CLI would use them, then Podman's. */
export function discoverEngineEndpoints(environment: DiscoveryEnvironment = DEFAULT_ENVIRONMENT): EngineCandidates {
  const { env } = environment;
  if (env.DOCKER_HOST) {
    return { endpoints: [parseDockerHost(env.DOCKER_HOST, 'DOCKER_HOST', env, environment.home)], absent: [], explicit: true };
  }
  const configDir = env.DOCKER_CONFIG || join(environment.home, '.docker');
  if (env.DOCKER_CONTEXT && env.DOCKER_CONTEXT !== 'default') {
    return { endpoints: [contextEndpoint(configDir, env.DOCKER_CONTEXT, 'DOCKER_CONTEXT', environment)], absent: [], explicit: true };
  }
  const endpoints: EngineEndpoint[] = [];
  const current = currentContextName(configDir);
  if (current && current !== 'default') {
    endpoints.push(contextEndpoint(configDir, current, `current context in ${join(configDir, 'config.json')}`, environment));
  }
  const absent: string[] = [];
  for (const { path, what } of wellKnownSockets(environment)) {
    if (existsSync(path)) {
      endpoints.push({ label: `unix://${path} (${what})`, connection: { socketPath: path } });
    } else {
      absent.push(`unix://${path} (${what}: no such socket)`);
    }
  }
  if (environment.platform === 'win32') {
    endpoints.push({ label: 'npipe:////./pipe/docker_engine (Docker Desktop)', connection: { socketPath: '//./pipe/docker_engine' } });
  }
  return { endpoints, absent, explicit: false };
}

/** Parses a DOCKER_HOST-style address (unix://, npipe://, tcp://, ssh://); `home` holds the user's SSH keys. */
function parseDockerHost(address: string, source: string, env: NodeJS.ProcessEnv, home: string): EngineEndpoint {
  const label = `${address} (${source})`;
  if (address.startsWith('unix://')) return { label, connection: { socketPath: address.slice('unix://'.length) } };
  if (address.startsWith('npipe://')) return { label, connection: { socketPath: address.slice('npipe://'.length) } };
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw unsupportedAddress(address, source);
  }
  if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') {
    const tls = url.protocol === 'https:' || env.DOCKER_TLS_VERIFY === '1' || url.port === '2376';
    const port = Number(url.port || (tls ? 2376 : 2375));
    return { label, connection: { protocol: tls ? 'https' : 'http', host: url.hostname, port, ...tlsFiles(env, tls) } };
  }
  if (url.protocol === 'ssh:') {
    const port = Number(url.port || 22);
    const username = url.username ? decodeURIComponent(url.username) : undefined;
    return {
      label,
      connection: {
        protocol: 'ssh',
        host: url.hostname,
        port,
        ...(username ? { username } : {}),
        sshOptions: { ...(env.SSH_AUTH_SOCK ? { agent: env.SSH_AUTH_SOCK } : defaultIdentity(home)), ...knownHostsCheck(url.hostname, port, username, home) },
      },
    };
  }
  throw unsupportedAddress(address, source);
}

/** OpenSSH's default identity files, in the order ssh tries them (the Docker CLI runs ssh, which reads them). */
const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** Without an SSH agent: the first of the user's default identity files that exists (an agent holds the keys otherwise). */
function defaultIdentity(home: string): { privateKey?: Buffer } {
  const file = DEFAULT_IDENTITIES.map((name) => join(home, '.ssh', name)).find((path) => existsSync(path));
  return file ? { privateKey: readFileSync(file) } : {};
}

function unsupportedAddress(address: string, source: string): WorkbenchError {
  return new WorkbenchError('DOCKER_UNAVAILABLE', `Unsupported Docker engine address in ${source}: ${address}.`, {
    hint: 'Use unix:///path/to/docker.sock, tcp://host:port or ssh://user@host.',
  });
}

function tlsFiles(env: NodeJS.ProcessEnv, tls: boolean): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  const certDir = env.DOCKER_CERT_PATH;
  if (!tls || !certDir) return {};
  const read = (name: string) => (existsSync(join(certDir, name)) ? readFileSync(join(certDir, name)) : undefined);
  const files = { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
  return Object.fromEntries(Object.entries(files).filter(([, value]) => value !== undefined));
}

function currentContextName(configDir: string): string | undefined {
  const configFile = join(configDir, 'config.json');
  if (!existsSync(configFile)) return undefined;
  try {
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as { currentContext?: unknown };
    return typeof config.currentContext === 'string' ? config.currentContext : undefined;
  } catch {
    // The Docker CLI refuses a broken config.json too; the well-known sockets are still worth trying.
    return undefined;
  }
}

/** Docker stores a context's metadata under contexts/meta/<sha256 of its name>/meta.json. */
function contextEndpoint(configDir: string, name: string, source: string, environment: DiscoveryEnvironment): EngineEndpoint {
  const metaFile = join(configDir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'), 'meta.json');
  let host: unknown;
  try {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { Endpoints?: { docker?: { Host?: unknown } } };
    host = meta.Endpoints?.docker?.Host;
  } catch (error) {
    throw new WorkbenchError('DOCKER_UNAVAILABLE', `Docker context "${name}" (${source}) cannot be read from ${metaFile}.`, {
      hint: 'Run `docker context ls` to see the contexts that exist, or `docker context use default`.',
      cause: error,
    });
  }
  if (typeof host !== 'string') {
    throw new WorkbenchError('DOCKER_UNAVAILABLE', `Docker context "${name}" (${source}) has no docker endpoint in ${metaFile}.`, {
      hint: 'Run `docker context inspect ' + name + '` to check it.',
    });
  }
  return parseDockerHost(host, `Docker context "${name}", ${source}`, environment.env, environment.home);
}

function wellKnownSockets(environment: DiscoveryEnvironment): { path: string; what: string }[] {
  if (environment.platform === 'win32') return [];
  const { env, home } = environment;
  const sockets = [{ path: '/var/run/docker.sock', what: 'default Docker socket' }];
  if (env.XDG_RUNTIME_DIR) {
    sockets.push({ path: join(env.XDG_RUNTIME_DIR, 'podman', 'podman.sock'), what: 'rootless Podman' });
    sockets.push({ path: join(env.XDG_RUNTIME_DIR, 'docker.sock'), what: 'rootless Docker' });
  }
  sockets.push({ path: '/run/podman/podman.sock', what: 'Podman' });
  sockets.push({ path: join(home, '.docker', 'run', 'docker.sock'), what: 'Docker Desktop' });
  sockets.push({ path: join(home, '.docker', 'desktop', 'docker.sock'), what: 'Docker Desktop for Linux' });
  sockets.push({ path: join(home, '.colima', 'default', 'docker.sock'), what: 'Colima' });
  sockets.push({ path: join(home, '.rd', 'docker.sock'), what: 'Rancher Desktop' });
  return sockets;
}
