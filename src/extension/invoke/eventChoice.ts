// Picks the event for an invocation: a saved event of the function, a sample from the bundled library, or an empty one.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { WorkbenchError } from '../../core/common/errors';
import { assertEventJson } from '../../core/events/eventJson';
import { listSampleEvents, loadSampleEvent } from '../../core/events';
import type { FunctionSpec } from '../../core/template/functionSpec';
import { listSavedEvents } from '../../core/events/savedEvents';
import type { RememberedEvent } from './lastEvents';

export type EventChoice =
  | { kind: 'saved'; file: string; payload: Buffer }
  | { kind: 'sample'; id: string; payload: Buffer }
  | { kind: 'empty'; payload: Buffer }
  /** Given by the caller as a JSON value. */
  | { kind: 'inline'; payload: Buffer };

type EventPickItem = vscode.QuickPickItem & { choice?: () => Promise<EventChoice> };

/** Asks the user (the event used last is marked and selected); undefined when the pick was dismissed. */
export async function pickEvent(spec: FunctionSpec, action: string, last?: RememberedEvent): Promise<EventChoice | undefined> {
  const saved = await listSavedEvents(spec);
  const lastUsed = (matches: boolean): Partial<EventPickItem> => (matches ? { detail: '$(history) used last', picked: true } : {});
  const items: EventPickItem[] = [
    { label: 'Saved events', kind: vscode.QuickPickItemKind.Separator },
    ...saved.map((event) => ({
      label: `$(json) ${event.name}`,
      description: vscode.workspace.asRelativePath(event.file),
      ...lastUsed(last?.kind === 'saved' && last.file === event.file),
      choice: () => readEventFile(event.file),
    })),
    { label: 'Empty event', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(circle-slash) {}', description: 'an empty JSON object', ...lastUsed(last?.kind === 'empty'), choice: async () => emptyEvent() },
    ...(last?.kind === 'inline'
      ? [{ label: '$(history) Inline event', description: last.json.slice(0, 80), ...lastUsed(true), choice: async (): Promise<EventChoice> => ({ kind: 'inline', payload: Buffer.from(last.json) }) }]
      : []),
    { label: 'Sample events', kind: vscode.QuickPickItemKind.Separator },
    ...listSampleEvents().map((sample) => ({
      label: `$(library) ${sample.title}`,
      description: sample.service,
      ...lastUsed(last?.kind === 'sample' && last.id === sample.id),
      choice: async () => sampleEvent(sample.id),
    })),
  ];
  const picked = await showEventPick(items, {
    title: `${action} ${spec.functionName}: choose an event`,
    placeHolder: saved.length > 0 ? 'A saved event, an empty event or a sample event' : 'No saved events: an empty event or a sample event',
    matchOnDescription: true,
  });
  return picked?.choice?.();
}

/** A quick pick whose active item is the one marked `picked` (showQuickPick only pre-selects in multi-select mode). */
function showEventPick(items: EventPickItem[], options: { title: string; placeHolder: string; matchOnDescription: boolean }): Promise<EventPickItem | undefined> {
  const quickPick = vscode.window.createQuickPick<EventPickItem>();
  Object.assign(quickPick, options);
  quickPick.items = items;
  return new Promise((resolve) => {
    quickPick.onDidAccept(() => {
      resolve(quickPick.selectedItems[0]);
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      resolve(undefined);
      quickPick.dispose();
    });
    quickPick.show();
    // Set after show(): showing makes the first item active.
    const active = items.find((item) => item.picked);
    if (active) quickPick.activeItems = [active];
  });
}

/** The remembered event read again; undefined when its file is gone (the caller asks then). */
export async function recallEvent(remembered: RememberedEvent): Promise<EventChoice | undefined> {
  switch (remembered.kind) {
    case 'saved':
      return existsSync(remembered.file) ? readEventFile(remembered.file) : undefined;
    case 'sample':
      return sampleEvent(remembered.id);
    case 'empty':
      return emptyEvent();
    case 'inline':
      return { kind: 'inline', payload: Buffer.from(remembered.json) };
  }
}

/** What LastEvents stores for a choice: a reference for files and samples, the JSON text for inline events. */
export function rememberedFrom(choice: EventChoice): RememberedEvent {
  switch (choice.kind) {
    case 'saved':
      return { kind: 'saved', file: choice.file };
    case 'sample':
      return { kind: 'sample', id: choice.id };
    case 'empty':
      return { kind: 'empty' };
    case 'inline':
      return { kind: 'inline', json: choice.payload.toString('utf8') };
  }
}

/** Reads a saved event file; its text must be JSON, as every managed runtime expects. */
export async function readEventFile(file: string): Promise<EventChoice> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new WorkbenchError('EVENT_INVALID', `Cannot read the event file ${file}.`, { cause, location: { file } });
  }
  assertEventJson(text, { file }, { hint: 'Fix the file, or open it in the Event Payload Editor to see the error.' });
  return { kind: 'saved', file, payload: Buffer.from(text) };
}

function emptyEvent(): EventChoice {
  return { kind: 'empty', payload: Buffer.from('{}') };
}

function sampleEvent(id: string): EventChoice {
  return { kind: 'sample', id, payload: Buffer.from(loadSampleEvent(id)) };
}
