// The status bar item: warm instances and the Docker engine's state; a click selects the backend.
import * as vscode from 'vscode';
import type { ServiceHost } from '../services/serviceHost';
import type { DockerStatus } from './dockerStatus';
import { readSettings } from './settings';

export class WorkbenchStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('lambdaWorkbench.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly host: ServiceHost,
    private readonly docker: DockerStatus,
  ) {
    this.item.name = 'Lambda Workbench';
    this.item.command = 'lambdaWorkbench.selectBackend';
    this.subscriptions = [
      this.item,
      host.onDidChangeInstances(() => this.update()),
      docker.onDidChange(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('lambdaWorkbench.backend') && this.update()),
    ];
    this.update();
    this.item.show();
  }

  update(): void {
    const running = this.host.listInstances();
    const warm = running.length;
    const containers = running.filter((info) => info.backend === 'container').length;
    const runsOn = warm === 0 ? '' : ` (${warm - containers} process${warm - containers === 1 ? '' : 'es'}, ${containers} container${containers === 1 ? '' : 's'})`;
    const docker = this.docker.state;
    const dockerText = docker.kind === 'available' ? '$(vm-active) Docker' : docker.kind === 'unavailable' ? '$(vm-outline) no Docker' : '';
    this.item.text = [`$(symbol-function) Lambda: ${warm} warm`, dockerText].filter(Boolean).join('  ');
    const dockerLine =
      docker.kind === 'available' ? `Docker engine: ${docker.endpoint}`
      : docker.kind === 'unavailable' ? `Docker engine unavailable: ${docker.reason}`
      : 'Docker engine: not checked yet';
    const instances = `${warm} warm instance${warm === 1 ? '' : 's'}${runsOn}`;
    this.item.tooltip = `${instances}\nBackend: ${readSettings().backend}\n${dockerLine}\nClick to select the backend`;
    // Screen readers read this instead of the text, whose $(icon) names mean nothing spoken.
    const dockerWords = docker.kind === 'available' ? ', Docker engine available' : docker.kind === 'unavailable' ? ', Docker engine unavailable' : '';
    this.item.accessibilityInformation = { label: `Lambda Workbench: ${instances}${dockerWords}. Select the backend`, role: 'button' };
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
