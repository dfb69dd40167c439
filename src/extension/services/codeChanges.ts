// Watches the workspace's code and event files: refreshes the view, hot-reloads functions that have warm instances and
// makes cold ones build (and digest, for Publish Version) their new code.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/common/errors';
import type { LogChannel } from '../logs/logChannel';
import { readSettings } from '../platform/settings';
import type { FunctionCatalog } from './functionCatalog';
import type { ServiceHost } from './serviceHost';

const CODE_GLOB = '**/*.{js,mjs,cjs,ts,mts,cts,py,json}';
const IGNORED = /[\\/](?:node_modules|\.git|\.aws-sam|\.lambda-workbench|cdk\.out)[\\/]/;
const RELOAD_DEBOUNCE_MS = 100;

export class CodeChanges implements vscode.Disposable {
  private readonly watcher = vscode.workspace.createFileSystemWatcher(CODE_GLOB);
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  /** Fires for every code or event file created, changed or deleted outside build and dependency folders. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly catalog: FunctionCatalog,
    private readonly host: ServiceHost,
    private readonly logs: LogChannel,
  ) {
    const changed = (uri: vscode.Uri) => this.changed(uri);
    this.subscriptions = [
      this.watcher,
      this.changeEmitter,
      this.watcher.onDidCreate(changed),
      this.watcher.onDidChange(changed),
      this.watcher.onDidDelete(changed),
    ];
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private changed(uri: vscode.Uri): void {
    if (IGNORED.test(uri.fsPath)) return;
    this.changeEmitter.fire(uri);
    const changedCode = this.catalog.functions().filter((spec) => isInside(uri.fsPath, spec.codeDir) && !isInside(uri.fsPath, path.join(spec.codeDir, 'events')));
    if (changedCode.length === 0) return;
    // A function being debugged is reloaded by its debug session, which reports the outcome in its Debug Console.
    const instances = this.host.listInstances();
    const debugged = new Set(instances.filter((info) => info.debugPort !== undefined).map((info) => info.functionName));
    const warm = new Set(instances.map((info) => info.functionName).filter((name) => !debugged.has(name)));
    const hotReload = readSettings().hotReload;
    for (const spec of changedCode) {
      if (warm.has(spec.functionName)) {
        if (hotReload) this.schedule(spec.functionName, () => this.reload(spec.functionName));
      } else if (!debugged.has(spec.functionName)) {
        this.schedule(spec.functionName, () => this.host.codeChanged(spec.functionName));
      }
    }
  }

  private schedule(functionName: string, apply: () => Promise<void>): void {
    clearTimeout(this.pending.get(functionName));
    this.pending.set(
      functionName,
      setTimeout(() => {
        this.pending.delete(functionName);
        void apply().catch((error: unknown) => this.logs.note(`${functionName}: the changed code is not taken into account: ${errorMessage(error)}`));
      }, RELOAD_DEBOUNCE_MS),
    );
  }

  private async reload(functionName: string): Promise<void> {
    try {
      if (await this.host.reload(functionName)) this.logs.note(`${functionName} reloaded`);
    } catch (error) {
      // A failed build keeps the old instances serving: say why, and carry on.
      this.logs.note(`${functionName} was not reloaded: ${errorMessage(error)}`);
      void vscode.window.showWarningMessage(`${functionName} was not reloaded: ${errorMessage(error)}`, 'Show Logs').then((choice) => choice && this.logs.show());
    }
  }
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
