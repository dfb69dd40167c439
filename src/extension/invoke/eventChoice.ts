// Picks the event for an invocation: a saved event of the function, a sample from the bundled library, or an empty one.
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { WorkbenchError } from '../../core/common/errors';
import { listSampleEvents, loadSampleEvent } from '../../core/events';
import type { FunctionSpec } from '../../core/template/functionSpec';
import { listSavedEvents } from '../functions/savedEvents';

export type EventChoice =
  | { kind: 'saved'; file: string; payload: Buffer }
  | { kind: 'sample'; id: string; payload: Buffer }
  | { kind: 'empty'; payload: Buffer }
  /** Given by the caller as a JSON value. */
  | { kind: 'inline'; payload: Buffer };

type EventPickItem = vscode.QuickPickItem & { choice?: () => Promise<EventChoice> };

/** Asks the user; undefined when the pick was dismissed. */
export async function pickEvent(spec: FunctionSpec): Promise<EventChoice | undefined> {
  const saved = await listSavedEvents(spec);
  const items: EventPickItem[] = [
    { label: 'Saved events', kind: vscode.QuickPickItemKind.Separator },
    ...saved.map((event) => ({
      label: `$(json) ${event.name}`,
      description: vscode.workspace.asRelativePath(event.file),
      choice: () => readEventFile(event.file),
    })),
    { label: 'Empty event', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(circle-slash) {}', description: 'an empty JSON object', choice: async () => emptyEvent() },
    { label: 'Sample events', kind: vscode.QuickPickItemKind.Separator },
    ...listSampleEvents().map((sample) => ({
      label: `$(library) ${sample.title}`,
      description: sample.service,
      choice: async (): Promise<EventChoice> => ({ kind: 'sample', id: sample.id, payload: Buffer.from(loadSampleEvent(sample.id)) }),
    })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Invoke ${spec.functionName}: choose an event`,
    placeHolder: saved.length > 0 ? 'A saved event, an empty event or a sample event' : 'No saved events: an empty event or a sample event',
    matchOnDescription: true,
  });
  return picked?.choice?.();
}

/** Reads a saved event file; its text must be JSON, as every managed runtime expects. */
export async function readEventFile(file: string): Promise<EventChoice> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new WorkbenchError('EVENT_INVALID', `Cannot read the event file ${file}.`, { cause, location: { file } });
  }
  try {
    JSON.parse(text);
  } catch (cause) {
    throw new WorkbenchError('EVENT_INVALID', `The event file is not valid JSON: ${(cause as Error).message}.`, {
      location: { file },
      hint: 'Fix the file, or open it in the Event Payload Editor to see the error.',
    });
  }
  return { kind: 'saved', file, payload: Buffer.from(text) };
}

export function emptyEvent(): EventChoice {
  return { kind: 'empty', payload: Buffer.from('{}') };
}
