// The local EventBridge buses of the Resources section: Put Event... (delivered to the targets of the bus's matching rules).
import * as vscode from 'vscode';
import { WorkbenchError } from '../../core/common/errors';
import { isBusNode, type BusNode } from '../tree/resources/busSection';
import { requireTrust, type CommandContext } from './commandContext';

/** A bus as callers name it: its tree node, or `{ bus }` (tests, other extensions) with the answers to the prompts. */
export type BusArgument = BusNode | { bus: string; source?: string; detailType?: string; detail?: string } | undefined;

/** What the last Put Event on each bus sent, offered again by the next one. */
const lastEntries = new Map<string, { source: string; detailType: string; detail: string }>();
const SAMPLE_ENTRY = { source: 'my.app', detailType: 'Test Event', detail: '{"hello": "world"}' };

/** Puts one event (Source, DetailType and Detail asked for) on the bus, as PutEvents does; resolves with its EventId. */
export async function putEvent(ctx: CommandContext, arg?: BusArgument): Promise<{ eventId: string } | undefined> {
  if (!requireTrust('Putting an event')) return undefined;
  const buses = (await ctx.host.get()).eventBuses;
  await buses.ready();
  const name = isBusNode(arg) ? arg.bus : arg?.bus ?? (await vscode.window.showQuickPick(buses.listBuses().map((bus) => bus.name), { title: 'Put Event', placeHolder: 'Event bus' }));
  if (name === undefined) return undefined;
  if (!buses.findBus(name)) {
    throw new WorkbenchError('EVENT_SOURCE_NOT_FOUND', `There is no local event bus named ${name}.`, { hint: `Buses: ${buses.listBuses().map((bus) => bus.name).join(', ')}.` });
  }
  const given = isBusNode(arg) ? undefined : arg;
  const last = lastEntries.get(name) ?? SAMPLE_ENTRY;
  const title = `Put Event on ${name}`;
  const source = given?.source ?? (await vscode.window.showInputBox({
    title, prompt: 'Source: the rules\' patterns match it (aws.* sources are AWS\'s own)', value: last.source,
    validateInput: (text) => (text.length === 0 ? 'An event needs a Source.' : undefined),
  }));
  if (source === undefined) return undefined;
  const detailType = given?.detailType ?? (await vscode.window.showInputBox({
    title, prompt: 'Detail type (detail-type)', value: last.detailType,
    validateInput: (text) => (text.length === 0 ? 'An event needs a DetailType.' : undefined),
  }));
  if (detailType === undefined) return undefined;
  const detail = given?.detail ?? (await vscode.window.showInputBox({
    title, prompt: 'Detail: a JSON object', value: last.detail,
    validateInput: (text) => (isJsonObject(text) ? undefined : 'Detail must be a JSON object, such as {"id": 1}.'),
  }));
  if (detail === undefined) return undefined;
  const [result] = await buses.putEvents([{ EventBusName: name, Source: source, DetailType: detailType, Detail: detail }]);
  if (!result || 'ErrorCode' in result) {
    throw new WorkbenchError('EVENT_INVALID', `EventBridge refused the event: ${result ? `${result.ErrorCode}: ${result.ErrorMessage}` : 'no result'}`);
  }
  lastEntries.set(name, { source, detailType, detail });
  ctx.logs.note(`Put event ${result.EventId} on ${name}.`);
  return { eventId: result.EventId };
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
