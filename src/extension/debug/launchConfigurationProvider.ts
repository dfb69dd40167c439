// Extension host: launch configurations for the workspace's functions (F5 from nothing, "create a launch.json file"), their paths and checks.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FunctionSpec } from '../../core/template/functionSpec';
import { DEBUG_TYPE } from '../../shared/launchConfig';
import { listSavedEvents } from '../../core/events/savedEvents';
import { chooseFunction, functionsOfActiveEditor } from '../invoke/chooseFunction';
import { projectRootFor } from '../platform/projectRoots';
import type { FunctionCatalog } from '../services/functionCatalog';

/** Launch attributes holding file system paths, resolved against the workspace folder when relative. */
const PATH_ATTRIBUTES = ['template', 'codeDir', 'eventFile', 'projectRoot'] as const;

/** `${workspaceFolder}/relative/path` when the file is inside the folder, else the absolute path. */
function folderRelative(file: string, folder: vscode.WorkspaceFolder | undefined): string {
  if (!folder) return file;
  const relative = path.relative(folder.uri.fsPath, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return file;
  return `\${workspaceFolder}/${relative.split(path.sep).join('/')}`;
}

/** The launch.json entry that debugs one template function with its first saved event (or an empty one). */
export async function launchEntry(spec: FunctionSpec, folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration> {
  const [event] = await listSavedEvents(spec);
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: `Debug ${spec.logicalId}`,
    template: folderRelative(spec.templatePath ?? path.join(spec.codeDir, 'template.yaml'), folder),
    function: spec.logicalId,
    ...(event ? { eventFile: folderRelative(event.file, folder) } : { event: {} }),
  };
}

export class LaunchConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly catalog: FunctionCatalog) {}

  /** "create a launch.json file" and the Run and Debug list: one entry per function of the folder, the active editor's first. */
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    await this.catalog.ready();
    const inFolder = this.catalog
      .functions()
      .filter((spec) => spec.templatePath && (!folder || vscode.workspace.getWorkspaceFolder(vscode.Uri.file(spec.templatePath))?.uri.toString() === folder.uri.toString()));
    const editing = functionsOfActiveEditor(inFolder);
    const ordered = [...editing, ...inFolder.filter((spec) => !editing.includes(spec))];
    return Promise.all(ordered.map((spec) => launchEntry(spec, folder)));
  }

  /** F5 without a launch.json, or a launch entry naming no function: the active editor's function, the only one, or a pick. */
  async resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    if (config.function !== undefined || config.handler !== undefined) return config;
    if (config.request && config.request !== 'launch') return config;
    const spec = await chooseFunction(this.catalog, 'Debug Function');
    if (!spec) return undefined;
    // ${workspaceFolder} is substituted for the folder the session runs in: without one, the paths are absolute.
    return { ...config, ...(await launchEntry(spec, folder)) };
  }

  /** Relative paths are taken from the workspace folder; a template that is not there is refused with the ones that are. */
  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    const base = folder?.uri.fsPath ?? path.dirname(vscode.window.activeTextEditor?.document.uri.fsPath ?? process.cwd());
    const resolved: vscode.DebugConfiguration = { ...config };
    for (const key of PATH_ATTRIBUTES) {
      if (typeof resolved[key] === 'string') resolved[key] = path.resolve(base, resolved[key]);
    }
    if (resolved.handler !== undefined && resolved.codeDir === undefined) resolved.codeDir = base;
    if (typeof resolved.template === 'string' && !existsSync(resolved.template)) {
      void vscode.window.showErrorMessage(await this.missingTemplateMessage(String(config.name), resolved.template, folder));
      return undefined;
    }
    // The session's own service reads the template as the Lambda view does: inside the workspace folder's project root.
    if (typeof resolved.template === 'string' && resolved.projectRoot === undefined) resolved.projectRoot = projectRootFor(resolved.template);
    return resolved;
  }

  /** What to change when a launch entry names a template that is not there: the templates the workspace has. */
  async missingTemplateMessage(name: string, template: string, folder: vscode.WorkspaceFolder | undefined): Promise<string> {
    await this.catalog.ready();
    const templates = this.catalog.templates.map((entry) => `"${folderRelative(entry.path, folder)}"`);
    const fix = templates.length > 0 ? `Set "template" to ${templates.join(' or ')}` : 'Create a template, e.g. with "Lambda: New Function from Blueprint"';
    return `Launch configuration "${name}": the template ${template} does not exist. ${fix}, or remove the entry and press F5 to debug the function of the open handler.`;
  }
}
