// Function context-menu commands: Open Handler, New Event, Stop Instances (and Stop All Instances).
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WorkbenchError } from '../../core/common/errors';
import { listSampleEvents, loadSampleEvent } from '../../core/events';
import { locateHandler } from '../functions/handlerSource';
import { eventNameProblem, newEventFile, newEventFolder } from '../../core/events/savedEvents';
import { resolveFunction, type CommandContext, type FunctionArgument } from './commandContext';
import { openPayloadEditor } from './openPayloadEditor';
import { projectRootFor } from '../platform/projectRoots';

export async function openHandler(ctx: CommandContext, arg?: FunctionArgument): Promise<vscode.TextEditor | undefined> {
  const spec = await resolveFunction(ctx, arg, 'Open Handler');
  if (!spec) return undefined;
  const handler = await locateHandler(spec);
  if (!handler) {
    throw new WorkbenchError('HANDLER_INVALID', `The source of ${spec.functionName}'s handler '${spec.handler ?? '(none)'}' was not found in ${spec.codeDir}.`, {
      ...(spec.location ? { location: spec.location } : {}),
      hint: 'Check Handler and CodeUri in the template.',
    });
  }
  const position = new vscode.Position(handler.line, 0);
  return vscode.window.showTextDocument(vscode.Uri.file(handler.file), { selection: new vscode.Range(position, position) });
}

/** Arguments for callers that skip the prompts. */
export interface NewEventArgs {
  functionName: string;
  /** File name without .json. */
  name: string;
  /** A sample event id; an empty object when omitted. */
  sampleId?: string;
}

/** Writes a new event file into the template's events folder (never over an existing file) and opens it. */
export async function newEvent(ctx: CommandContext, arg?: FunctionArgument | NewEventArgs): Promise<vscode.Uri | undefined> {
  const spec = await resolveFunction(ctx, arg, 'New Event');
  if (!spec) return undefined;
  const given = typeof arg === 'object' && 'name' in arg && typeof arg.name === 'string' ? (arg as NewEventArgs) : undefined;
  const workspaceFolder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(spec.templatePath ?? spec.codeDir))?.uri.fsPath;
  const folder = newEventFolder(spec, workspaceFolder);

  const name =
    given?.name ??
    (await vscode.window.showInputBox({
      title: `New event for ${spec.functionName}`,
      prompt: `File name in ${vscode.workspace.asRelativePath(folder)}`,
      value: 'event',
      validateInput: (value) => eventNameProblem(value) ?? (existsSync(path.join(folder, `${value}.json`)) ? `${value}.json already exists` : undefined),
    }));
  if (!name) return undefined;
  // A name given by another extension or a keybinding is checked as the input box checks it, and the folder is confined.
  const file = newEventFile(folder, name, projectRootFor(spec.templatePath ?? folder));

  let sampleId = given ? given.sampleId : undefined;
  if (!given) {
    const picked = await vscode.window.showQuickPick(
      [{ label: '{}', description: 'an empty JSON object', id: undefined as string | undefined }, ...listSampleEvents().map((s) => ({ label: s.title, description: s.service, id: s.id as string | undefined }))],
      { title: `New event ${name}.json: start from`, placeHolder: 'An empty object or a sample event' },
    );
    if (!picked) return undefined;
    sampleId = picked.id;
  }

  await mkdir(folder, { recursive: true });
  try {
    await writeFile(file, sampleId ? loadSampleEvent(sampleId) : '{}\n', { flag: 'wx' });
  } catch (cause) {
    throw new WorkbenchError('EVENT_INVALID', `Cannot create ${file}: ${(cause as NodeJS.ErrnoException).code === 'EEXIST' ? 'the file already exists' : (cause as Error).message}.`, { cause });
  }
  const uri = vscode.Uri.file(file);
  await openPayloadEditor(uri);
  return uri;
}

export async function stopInstances(ctx: CommandContext, arg?: FunctionArgument): Promise<void> {
  const spec = await resolveFunction(ctx, arg, 'Stop Instances');
  if (spec) await ctx.host.stopInstances(spec.functionName);
}

export async function stopAllInstances(ctx: CommandContext): Promise<void> {
  await ctx.host.stopInstances();
}
