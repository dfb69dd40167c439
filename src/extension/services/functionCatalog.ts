// The workspace's templates and their functions, reloaded (debounced) when a template is created, changed or deleted.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { errorMessage, isWorkbenchError } from '../../core/common/errors';
import type { FunctionSpec } from '../../core/template/functionSpec';
import type { MissingParameter } from '../../core/template/templateParameters';
import { onDidChangeProjectRoot, projectRootFor } from '../platform/projectRoots';
import type { RememberedParameters } from './rememberedParameters';

export const TEMPLATE_GLOB = '**/template.{yaml,yml,json}';
const EXCLUDED_FOLDERS = '**/{node_modules,.aws-sam,.lambda-workbench,cdk.out,.git}/**';
const RELOAD_DEBOUNCE_MS = 300;

export interface TemplateEntry {
  /** Absolute path of the template file. */
  path: string;
  functions: FunctionSpec[];
  /** Why the template could not be read, or which of its functions were ignored. */
  problems: string[];
  /** Parameters without Default that need a value from the user (the template is not read until they have one). */
  missingParameters?: MissingParameter[];
}

export class FunctionCatalog implements vscode.Disposable {
  private entries: TemplateEntry[] = [];
  private loading: Promise<void> | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;
  private generation = 0;
  /** Templates this window created (blueprints): listed even while the file search has not indexed them yet. */
  private readonly created = new Set<string>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires after every reload of the templates. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly watcher = vscode.workspace.createFileSystemWatcher(TEMPLATE_GLOB);
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    /** Values the user gave for parameters without Default: the templates are read with them. */
    readonly parameters: RememberedParameters,
  ) {
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
      onDidChangeProjectRoot(() => this.scheduleReload()),
    ];
  }

  /**
   * The templates still on disk: a folder deleted as a whole may reach no file watcher (its files report no deletion),
   * so a vanished template is left out here until the next reload.
   */
  get templates(): readonly TemplateEntry[] {
    return this.entries.filter((entry) => existsSync(entry.path));
  }

  /** Every function of every template; a name declared twice keeps its first declaration. */
  functions(): FunctionSpec[] {
    return this.templates.flatMap((entry) => entry.functions);
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

  /** Lists templates just written (the file search can lag behind new files), then re-reads every template. */
  addTemplates(paths: readonly string[]): Promise<void> {
    for (const file of paths) if (/[\\/]template\.(yaml|yml|json)$/.test(file)) this.created.add(file);
    return this.reload();
  }

  /** Re-reads the templates if one of them has vanished with its folder (see `templates`); waits for that load. */
  async dropVanished(): Promise<void> {
    if (this.entries.some((entry) => !existsSync(entry.path))) await this.reload();
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
    const created = [...this.created].filter((file) => existsSync(file));
    const paths = [...new Set([...uris.map((uri) => uri.fsPath), ...created])].sort();
    const entries = await Promise.all(paths.map((templatePath) => readTemplate(templatePath, this.parameters.valuesFor(templatePath))));
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

async function readTemplate(templatePath: string, parameterOverrides: Record<string, string>): Promise<TemplateEntry> {
  try {
    // The template parser (and YAML) loads with the first template, after activation.
    const { FunctionRegistry } = await import('../../core/service/functionRegistry.js');
    const registry = await FunctionRegistry.fromTemplates([templatePath], parameterOverrides, projectRootFor(templatePath));
    return { path: templatePath, functions: registry.list(), problems: [...registry.warnings] };
  } catch (error) {
    const entry: TemplateEntry = { path: templatePath, functions: [], problems: [errorMessage(error)] };
    if (isWorkbenchError(error) && error.code === 'TEMPLATE_INVALID') {
      const { readMissingParameters } = await import('../../core/template/templateParameters.js');
      const missing = await readMissingParameters(templatePath, parameterOverrides).catch(() => []);
      if (missing.length) entry.missingParameters = missing;
    }
    return entry;
  }
}
