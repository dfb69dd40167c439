// How this machine reaches a port published on the engine's machine: straight to the engine's host (tcp://), or through an SSH connection to it (ssh://).
import { isIP, connect } from 'node:net';
import { userInfo } from 'node:os';
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { WorkbenchError, errorMessage } from '../../common/errors';
import type { EngineConnection } from './engineEndpoints';
import { hostKeyRefusal } from './sshKnownHosts';

export interface UplinkDialer {
  /** The engine host's address to publish the relay's port on: its loopback for ssh://, else the address DOCKER_HOST names. */
  readonly publishAddress: string;
  /** A connection to `port` of the engine's machine. */
  dial(port: number): Promise<Duplex>;
  /** Closes the SSH connection, if any. */
  dispose(): void;
}

/** The dialer for an engine reached over the network; undefined for a unix socket (or named pipe) engine. */
export function uplinkDialer(connection: EngineConnection): UplinkDialer | undefined {
  if ('socketPath' in connection) return undefined;
  if (connection.protocol === 'ssh') return new SshDialer(connection);
  return new TcpDialer(connection.host);
}

class TcpDialer implements UplinkDialer {
  readonly publishAddress: string;

  constructor(private readonly host: string) {
    // An address names the interface it arrives on; a host name may resolve to several: every interface then.
    this.publishAddress = host === 'localhost' ? '127.0.0.1' : isIP(host) ? host : '0.0.0.0';
  }

  dial(port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.host, port }, () => {
        socket.off('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
    });
  }

  dispose(): void {}
}

/** One SSH connection (the engine's user, key or agent) carries every uplink as a direct-tcpip channel to the host's loopback. */
class SshDialer implements UplinkDialer {
  readonly publishAddress = '127.0.0.1';
  private client: Promise<Client> | undefined;
  private disposed = false;

  constructor(private readonly connection: Exclude<EngineConnection, { socketPath: string }>) {}

  async dial(port: number): Promise<Duplex> {
    const client = await this.connect();
    return new Promise((resolve, reject) => {
      client.forwardOut('127.0.0.1', 0, '127.0.0.1', port, (error, channel) => (error ? reject(error) : resolve(channel)));
    });
  }

  dispose(): void {
    this.disposed = true;
    void this.client?.then((client) => client.end(), () => undefined);
  }

  private connect(): Promise<Client> {
    if (this.disposed) return Promise.reject(new WorkbenchError('INSTANCE_FAILED', 'The container backend has been disposed.'));
    this.client ??= (async () => {
      const { Client: SshClient } = await import('ssh2');
      const client = new SshClient();
      const { host, port, username, sshOptions } = this.connection;
      await new Promise<void>((resolve, reject) => {
        client.once('ready', resolve).once('error', (error) => reject(sshFailure(host, port, error, hostKeyRefusal(sshOptions?.hostVerifier))));
        client.connect({ host, port, username: username ?? userInfo().username, ...sshOptions, keepaliveInterval: 15_000 });
      });
      // A dropped connection is made again by the next dial.
      client.on('close', () => (this.client = undefined));
      client.on('error', () => undefined);
      return client;
    })();
    this.client.catch(() => (this.client = undefined));
    return this.client;
  }
}

function sshFailure(host: string, port: number, error: unknown, hostKeyRefused: string | undefined): WorkbenchError {
  if (hostKeyRefused) {
    return new WorkbenchError('DOCKER_UNAVAILABLE', `The SSH connection to the engine's host ${host}:${port} was refused: ${hostKeyRefused}.`, { cause: error });
  }
  return new WorkbenchError('DOCKER_UNAVAILABLE', `The SSH connection to the engine's host ${host}:${port} failed: ${errorMessage(error)}`, {
    hint: 'Check that `ssh` to that host works without a password prompt (a key in ssh-agent, or ~/.ssh/id_ed25519 without a passphrase).',
    cause: error,
  });
}
