// The event of an Invoke or Debug: the one the caller names, else the function's last event (a re-run), else the user's pick.
import type { FunctionSpec } from '../../core/template/functionSpec';
import { pickEvent, readEventFile, recallEvent, rememberedFrom, type EventChoice } from '../invoke/eventChoice';
import { isFunctionTarget } from '../tree/treeNodes';
import type { CommandContext, FunctionArgument } from './commandContext';

/** Arguments for callers that skip the quick picks (tests, CodeLens, the payload editor, other extensions). */
export interface RunFunctionArgs {
  functionName: string;
  /** A JSON file holding the event. */
  eventPath?: string;
  /** The event as a JSON value (used when no eventPath is given). */
  event?: unknown;
  /** A published version or an alias to invoke instead of $LATEST. */
  qualifier?: string;
}

export type RunArgument = FunctionArgument | RunFunctionArgs;

/** The version or alias a run targets: the tree's version or alias node, or the caller's `qualifier`; undefined for $LATEST. */
export function qualifierOf(arg: RunArgument): string | undefined {
  if (isFunctionTarget(arg)) return arg.kind === 'version' ? arg.version.version : arg.kind === 'alias' ? arg.alias.name : undefined;
  return typeof arg === 'object' && 'qualifier' in arg ? arg.qualifier : undefined;
}

/** 'rerun': Invoke and Debug use the function's last event when there is one; 'ask': "... with Event..." always asks. */
export type EventMode = 'rerun' | 'ask';

/** The event to run with, remembered as the function's last one; undefined when the user dismissed the pick. */
export async function eventForRun(ctx: CommandContext, spec: FunctionSpec, arg: RunArgument, mode: EventMode, action: string): Promise<EventChoice | undefined> {
  const choice = await chooseEvent(ctx, spec, arg, mode, action);
  if (choice) await ctx.lastEvents.remember(spec.functionName, rememberedFrom(choice));
  return choice;
}

async function chooseEvent(ctx: CommandContext, spec: FunctionSpec, arg: RunArgument, mode: EventMode, action: string): Promise<EventChoice | undefined> {
  if (isFunctionTarget(arg) && arg.kind === 'event') return readEventFile(arg.event.file);
  if (typeof arg === 'object' && !isFunctionTarget(arg)) {
    const args = arg as RunFunctionArgs;
    if (args.eventPath) return readEventFile(args.eventPath);
    if ('event' in args) return { kind: 'inline', payload: Buffer.from(JSON.stringify(args.event ?? {})) };
  }
  const last = ctx.lastEvents.get(spec.functionName);
  if (mode === 'rerun' && last) {
    const recalled = await recallEvent(last);
    if (recalled) return recalled;
  }
  return pickEvent(spec, action, last);
}
