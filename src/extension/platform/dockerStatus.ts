// Whether a Docker engine answers, checked in the background (dockerode loads only then), for the status bar.
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { connectDockerEngine } from '../../core/instances/container/dockerEngine';
import { errorMessage } from '../../core/common/errors';
import { onDidChangeSettings, readSettings } from './settings';

export type DockerState = { kind: 'unknown' } | { kind: 'available'; endpoint: string } | { kind: 'unavailable'; reason: string };

export class DockerStatus implements vscode.Disposable {
  private current: DockerState = { kind: 'unknown' };
  private readonly changeEmitter = new vscode.EventEmitter<DockerState>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly settingsSubscription = onDidChangeSettings(['dockerHost'], () => void this.check());
  private generation = 0;

  get state(): DockerState {
    return this.current;
  }

  /** Pings the engine named by lambdaWorkbench.dockerHost (else DOCKER_HOST, contexts, the default sockets). */
  async check(): Promise<DockerState> {
    const generation = ++this.generation;
    const dockerHost = readSettings().dockerHost;
    const env = dockerHost ? { ...process.env, DOCKER_HOST: dockerHost } : process.env;
    let state: DockerState;
    try {
      const engine = await connectDockerEngine({ discovery: { env, home: homedir(), platform: process.platform } });
      state = { kind: 'available', endpoint: engine.endpoint.label };
    } catch (error) {
      state = { kind: 'unavailable', reason: errorMessage(error) };
    }
    // A newer check (after a settings change) wins over an older one that finished late.
    if (generation === this.generation) {
      this.current = state;
      this.changeEmitter.fire(state);
    }
    return state;
  }

  dispose(): void {
    this.settingsSubscription.dispose();
    this.changeEmitter.dispose();
  }
}
