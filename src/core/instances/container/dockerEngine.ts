// Connects to the first Docker-compatible engine that answers a ping; dockerode is loaded here, on first use only.
import type Dockerode from 'dockerode';
import { WorkbenchError, errorMessage } from '../../common/errors';
import { deferDockerodeParts } from './dockerodeDeferredParts';
import { discoverEngineEndpoints, type DiscoveryEnvironment, type EngineEndpoint } from './engineEndpoints';
import { hostKeyRefusal } from './sshKnownHosts';

export interface DockerEngine {
  docker: Dockerode;
  endpoint: EngineEndpoint;
}

export interface EngineConnectOptions {
  /** How long one endpoint may take to answer the ping. */
  pingTimeoutMs?: number;
  /** Where to look (defaults to this process's environment and home directory). */
  discovery?: DiscoveryEnvironment;
}

const DEFAULT_PING_TIMEOUT_MS = 2000;

/** Resolves with the first engine, in discovery order, that answers; throws DOCKER_UNAVAILABLE listing every attempt. */
export async function connectDockerEngine(options: EngineConnectOptions = {}): Promise<DockerEngine> {
  const pingTimeoutMs = options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS;
  const candidates = discoverEngineEndpoints(options.discovery);
  deferDockerodeParts();
  const { default: DockerodeClass } = await import('dockerode');
  const attempts = await Promise.all(
    candidates.endpoints.map(async (endpoint) => {
      // A separate client with a request timeout, so a silent endpoint cannot hang the ping (or later requests). An SSH
      // channel has no socket timeout (docker-modem's would throw on it): the ping races a timer instead.
      const ssh = 'protocol' in endpoint.connection && endpoint.connection.protocol === 'ssh';
      const probe = new DockerodeClass({ ...endpoint.connection, ...(ssh ? {} : { timeout: pingTimeoutMs }) });
      let timer: NodeJS.Timeout | undefined;
      const silence = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('ping timeout')), pingTimeoutMs)));
      try {
        await Promise.race([probe.ping(), silence]);
        return { endpoint, failure: undefined };
      } catch (error) {
        const refused = 'sshOptions' in endpoint.connection ? hostKeyRefusal(endpoint.connection.sshOptions?.hostVerifier) : undefined;
        return { endpoint, failure: refused ?? describeFailure(error, pingTimeoutMs), hostKeyRefused: refused !== undefined };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const answered = attempts.find((attempt) => attempt.failure === undefined);
  if (answered) return { docker: new DockerodeClass(answered.endpoint.connection), endpoint: answered.endpoint };

  const tried = [
    ...attempts.map((attempt) => `${attempt.endpoint.label}: ${attempt.failure}`),
    ...(candidates.explicit ? [] : candidates.absent),
  ];
  throw new WorkbenchError(
    'DOCKER_UNAVAILABLE',
    `No Docker engine answered. Tried:\n${tried.map((line) => `  - ${line}`).join('\n') || '  (no engine address is configured)'}`,
    {
      hint: attempts.some((attempt) => attempt.hostKeyRefused)
        ? '\nThe engine\'s SSH host is not one this machine trusts yet: add its key to known_hosts as said above, then try again.'
        : '\nStart Docker (Docker Desktop, or `sudo systemctl start docker`), or Podman\'s socket (`systemctl --user start podman.socket`), ' +
          'or point DOCKER_HOST at a running engine. `--backend process` runs functions as local processes without Docker.',
    },
  );
}

function describeFailure(error: unknown, pingTimeoutMs: number): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such socket';
  if (code === 'ECONNREFUSED') return 'connection refused (is the engine running?)';
  if (code === 'EACCES') return 'permission denied (add your user to the docker group, or use rootless Docker/Podman)';
  if (/timeout/i.test(errorMessage(error))) return `no answer within ${pingTimeoutMs} ms`;
  return errorMessage(error);
}
