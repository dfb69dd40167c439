// "Lambda: Open Event Payload Editor": opens an event file (the given one, the active one, or a picked one) in the payload editor.
import * as vscode from 'vscode';
import { PAYLOAD_EDITOR_VIEW_TYPE } from '../../shared/webviewProtocol';
import { listSavedEvents } from '../../core/events/savedEvents';
import type { CommandContext } from './commandContext';
import type { LambdaNode } from '../tree/treeNodes';

export async function openPayloadEditorCommand(ctx: CommandContext, arg?: vscode.Uri | LambdaNode): Promise<vscode.Uri | undefined> {
  const uri = arg instanceof vscode.Uri ? arg : arg?.kind === 'event' ? vscode.Uri.file(arg.event.file) : await chooseEventFile(ctx);
  if (!uri) return undefined;
  await openPayloadEditor(uri);
  return uri;
}

export async function openPayloadEditor(uri: vscode.Uri): Promise<void> {
  await vscode.commands.executeCommand('vscode.openWith', uri, PAYLOAD_EDITOR_VIEW_TYPE);
}

/** The active JSON file, else a saved event of any function, else a new file picked in a dialog. */
async function chooseEventFile(ctx: CommandContext): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active?.uri.scheme === 'file' && active.languageId === 'json') return active.uri;
  await ctx.catalog.ready();
  const events = (await Promise.all(ctx.catalog.functions().map(listSavedEvents))).flat();
  const unique = [...new Map(events.map((event) => [event.file, event])).values()];
  const picked = await vscode.window.showQuickPick(
    [
      ...unique.map((event) => ({ label: `$(json) ${event.name}`, description: vscode.workspace.asRelativePath(event.file), uri: vscode.Uri.file(event.file) })),
      { label: '$(folder-opened) Open another JSON file...', description: '', uri: undefined },
    ],
    { title: 'Open Event Payload Editor', placeHolder: 'Choose an event file' },
  );
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const chosen = await vscode.window.showOpenDialog({ filters: { 'Event JSON': ['json'] }, canSelectMany: false });
  return chosen?.[0];
}
