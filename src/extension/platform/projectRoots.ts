// The project root of each workspace folder (extension host): the lambdaWorkbench.projectRoot setting, else the folder itself.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { defaultProjectRoot } from '../../core/common/projectRoot';
import { SETTINGS_SECTION } from './settings';

export const PROJECT_ROOT_SETTING = 'projectRoot';

/** A workspace folder's root: its resource-scoped setting (absolute, or relative to the folder) when set, else the folder. */
function folderRoot(folder: vscode.WorkspaceFolder): string {
  const setting = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder.uri).get<string>(PROJECT_ROOT_SETTING, '').trim();
  return setting === '' ? folder.uri.fsPath : path.resolve(folder.uri.fsPath, setting);
}

/** The folder a template's local paths must stay inside: its workspace folder's root, else (outside every folder) the core default. */
export function projectRootFor(templatePath: string): string {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(templatePath));
  return folder ? folderRoot(folder) : defaultProjectRoot(templatePath);
}

/** Every workspace folder's root: where Lambda API callers' local code paths may come from (besides the state directory). */
export function workspaceProjectRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map(folderRoot);
}

/** Fires when the setting changes in any folder. */
export function onDidChangeProjectRoot(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(`${SETTINGS_SECTION}.${PROJECT_ROOT_SETTING}`)) listener();
  });
}
