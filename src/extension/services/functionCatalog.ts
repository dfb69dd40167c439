// The workspace's templates and their functions, reloaded (debounced) when a template is created, changed or deleted.
import * as vscode from 'vscode';
import { errorMessage } from '../../core/common/errors';
import type { FunctionSpec } from '../../core/template/functionSpec';

export const TEMPLATE_GLOB = '**/template.{yaml,yml,json}';
const EXCLUDED_FOLDERS = '**/{node_modules,.aws-sam,.lambda-workbench,cdk.out,.git}/**';
const RELOAD_DEBOUNCE_MS = 300;

export interface TemplateEntry {
  /** Absolute path of the template file. */
  path: string;
  functions: FunctionSpec[];
  /** Why the template could not be read, or which of its functions were ignored. */
  problems: string[];
}

export class FunctionCatalog implements vscode.Disposable {
  private entries: TemplateEntry[] = [];
  private loading: Promise<void> | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;
  private generation = 0;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires after every reload of the templates. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly watcher = vscode.workspace.createFileSystemWatcher(TEMPLATE_GLOB);
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    const schedule = (uri: vscode.Uri) => {
      if (!/[\\/](node_modules|\.aws-sam|\.lambda-workbench|cdk\.out)[\\/]/.test(uri.fsPath)) this.scheduleReload();
    };
    this.subscriptions = [
      this.watcher,
      this.changeEmitter,
      this.watcher.onDidCreate(schedule),
      this.watcher.onDidChange(schedule),
      this.watcher.onDidDelete(schedule),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleReload()),
    ];
  }

  get templates(): readonly TemplateEntry[] {
    return this.entries;
  }

  /** Every function of every template; a name declared twice keeps its first declaration. */
  functions(): FunctionSpec[] {
    return this.entries.flatMap((entry) => entry.functions);
  }

  /** By FunctionName or logical id. */
  find(name: string): FunctionSpec | undefined {
    return this.functions().find((spec) => spec.functionName === name) ?? this.functions().find((spec) => spec.logicalId === name);
  }

  /** Loads the templates once; later calls wait for the load in progress or return at once. */
  ready(): Promise<void> {
    this.loading ??= this.reload();
    return this.loading;
  }

  /** Re-reads every template now. */
  reload(): Promise<void> {
    this.loading = this.load();
    return this.loading;
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), RELOAD_DEBOUNCE_MS);
  }

  private async load(): Promise<void> {
    // Loads can overlap (a watcher event and an explicit reload): only the one started last may set the entries,
    // or a slower, older load would put back what the files said before.
    const generation = ++this.generation;
    const uris = await vscode.workspace.findFiles(TEMPLATE_GLOB, EXCLUDED_FOLDERS);
    const paths = uris.map((uri) => uri.fsPath).sort();
    const entries = await Promise.all(paths.map(readTemplate));
    // A newer load is running: resolve when it does, so callers of the older one see its result.
    if (generation !== this.generation) return this.loading;
    const seen = new Set<string>();
    for (const entry of entries) {
      entry.functions = entry.functions.filter((spec) => {
        if (!seen.has(spec.functionName)) return seen.add(spec.functionName);
        entry.problems.push(`${spec.functionName} is ignored: another template already declares a function with that name.`);
        return false;
      });
    }
    this.entries = entries;
    await vscode.commands.executeCommand('setContext', 'lambdaWorkbench.hasFunctions', seen.size > 0);
    this.changeEmitter.fire();
  }
}

async function readTemplate(templatePath: string): Promise<TemplateEntry> {
  try {
    // The template parser (and YAML) loads with the first template, after activation.
    const { FunctionRegistry } = await import('../../core/service/functionRegistry.js');
    const registry = await FunctionRegistry.fromTemplates([templatePath]);
    return { path: templatePath, functions: registry.list(), problems: [...registry.warnings] };
  } catch (error) {
    return { path: templatePath, functions: [], problems: [errorMessage(error)] };
  }
}
