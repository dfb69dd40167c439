// The Lambda view as the console: Publish Version, Create / Update Alias (with weights), Set Reserved Concurrency, Delete
// Function, Reset State.
import * as vscode from 'vscode';
import type { AliasRecord, VersionRecord } from '../../core/functions/functionRecords';
import type { FunctionStore } from '../../core/functions/functionStore';
import type { FunctionSpec } from '../../core/template/functionSpec';
import { isFunctionTarget } from '../tree/treeNodes';
import { describeRouting } from '../tree/versionItems';
import { resolveFunction, type CommandContext, type FunctionArgument } from './commandContext';

/** Arguments for callers that skip the prompts (tests, other extensions). */
export interface PublishVersionArgs {
  functionName: string;
  description?: string;
}

export interface CreateAliasArgs {
  functionName: string;
  name: string;
  functionVersion: string;
  description?: string;
  /** A second version and the share (0..1) of invocations routed to it. */
  additionalVersion?: string;
  weight?: number;
}

export interface UpdateAliasArgs {
  functionName: string;
  name: string;
  /** Unchanged when undefined. */
  functionVersion?: string;
  description?: string;
  /** A second version and the share (0..1) routed to it; null removes the weighted routing, undefined keeps it. */
  additionalVersion?: string | null;
  weight?: number;
}

export interface ReservedConcurrencyArgs {
  functionName: string;
  /** undefined removes the function's reserved concurrency. */
  reservedConcurrency: number | undefined;
}

export interface DeleteFunctionArgs {
  functionName: string;
  /** Skips the confirmation. */
  confirmed: true;
}

export interface ResetStateArgs {
  /** Skips the confirmation. */
  confirmed: true;
}

const ALIAS_NAME = /^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/;

/** The argument object of a caller that skips the prompts (it names the function and, when given, `key`); tree nodes are not. */
function given<T extends { functionName: string }>(arg: unknown, key?: keyof T): T | undefined {
  if (typeof arg !== 'object' || arg === null || isFunctionTarget(arg) || !('functionName' in arg)) return undefined;
  return key === undefined || key in arg ? (arg as T) : undefined;
}

/** A template function, or one created through the Lambda API (by name), or the one the user picks. */
async function resolveConsoleFunction(ctx: CommandContext, arg: unknown, title: string): Promise<FunctionSpec | undefined> {
  const named = typeof arg === 'string' ? arg : !isFunctionTarget(arg) && typeof arg === 'object' && arg !== null && 'functionName' in arg ? String(arg.functionName) : undefined;
  if (named !== undefined) {
    const store = await ctx.host.functionStore();
    const record = store.get(named);
    if (record) return store.spec(record.name);
  }
  return resolveFunction(ctx, arg as FunctionArgument, title);
}

/** Publishes $LATEST as a new version (or returns the last one when nothing changed, as Lambda does). */
export async function publishVersion(ctx: CommandContext, arg?: FunctionArgument | PublishVersionArgs): Promise<VersionRecord | undefined> {
  const spec = await resolveConsoleFunction(ctx, arg, 'Publish Version');
  if (!spec) return undefined;
  const args = given<PublishVersionArgs>(arg);
  const description = args ? args.description : await vscode.window.showInputBox({
    title: `Publish a version of ${spec.functionName}`,
    prompt: 'Description of the version (optional)',
    validateInput: (value) => (value.length > 256 ? 'At most 256 characters' : undefined),
  });
  if (description === undefined && !args) return undefined;
  const store = await ctx.host.functionStore();
  const lastBefore = store.require(spec.functionName).lastVersion;
  const published = await store.publishVersion(spec.functionName, description ? { description } : {});
  const message = Number(published.version) > lastBefore
    ? `Published version ${published.version} of ${spec.functionName}.`
    : `${spec.functionName} has not changed since version ${published.version}: no new version was published.`;
  ctx.logs.note(message);
  void vscode.window.showInformationMessage(message);
  return published;
}

/** Creates an alias pointing at a version, optionally routing a share of invocations to a second version. */
export async function createAlias(ctx: CommandContext, arg?: FunctionArgument | CreateAliasArgs): Promise<AliasRecord | undefined> {
  const spec = await resolveConsoleFunction(ctx, arg, 'Create Alias');
  if (!spec) return undefined;
  const store = await ctx.host.functionStore();
  const input = given<CreateAliasArgs>(arg, 'name') ?? (await askAlias(spec, [...store.require(spec.functionName).versions.keys()], arg));
  if (!input) return undefined;
  const weights = input.additionalVersion !== undefined ? { [input.additionalVersion]: input.weight ?? 0 } : undefined;
  const alias = await store.putAlias(spec.functionName, input.name, {
    functionVersion: input.functionVersion,
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(weights ? { weights } : {}),
  }, true);
  ctx.logs.note(`Created alias ${input.name} of ${spec.functionName}: ${describeRouting(alias)}.`);
  return alias;
}

async function askAlias(spec: FunctionSpec, versions: string[], arg: unknown): Promise<CreateAliasArgs | undefined> {
  const title = `Create an alias of ${spec.functionName}`;
  const name = await vscode.window.showInputBox({
    title,
    prompt: 'Alias name',
    validateInput: (value) => (ALIAS_NAME.test(value) ? undefined : 'Letters, digits, - and _ (1 to 128), not only digits'),
  });
  if (!name) return undefined;
  const preselected = (arg as { kind?: string; version?: VersionRecord } | undefined)?.kind === 'version' ? (arg as { version: VersionRecord }).version.version : undefined;
  const target = await askTarget(title, versions, preselected === undefined ? {} : { functionVersion: preselected });
  if (!target) return undefined;
  const { additionalVersion, ...rest } = target;
  return { functionName: spec.functionName, name, ...rest, ...(additionalVersion !== null ? { additionalVersion } : {}) };
}

/**
 * The version an alias points at (the given one, else picked) and its weighted routing: none, or a share to a second
 * version; `current` preselects what an alias being updated has. Undefined when a prompt was dismissed.
 */
async function askTarget(
  title: string,
  versions: string[],
  current: { functionVersion?: string; pick?: true; weights?: Record<string, number> },
): Promise<{ functionVersion: string; additionalVersion: string | null; weight?: number } | undefined> {
  const choices = ['$LATEST', ...[...versions].sort((a, b) => Number(b) - Number(a))];
  const functionVersion = current.functionVersion !== undefined && !current.pick
    ? current.functionVersion
    : (await vscode.window.showQuickPick(choices.map((version) => ({ label: version, ...(version === current.functionVersion ? { description: 'current' } : {}) })), {
      title,
      placeHolder: 'The version the alias points at',
    }))?.label;
  if (!functionVersion) return undefined;
  const others = versions.filter((version) => version !== functionVersion);
  if (functionVersion === '$LATEST' || others.length === 0) return { functionVersion, additionalVersion: null };
  const [currentVersion, currentWeight] = Object.entries(current.weights ?? {})[0] ?? [];
  const routed = await vscode.window.showQuickPick([
    { label: 'No weighted routing', version: null as string | null },
    ...others.map((v) => ({ label: `Route a share to version ${v}`, version: v as string | null, ...(v === currentVersion ? { description: 'current' } : {}) })),
  ], { title, placeHolder: 'Send a share of the invocations to a second version?' });
  if (!routed) return undefined;
  if (routed.version === null) return { functionVersion, additionalVersion: null };
  const percent = await vscode.window.showInputBox({
    title,
    prompt: `Share of invocations routed to version ${routed.version}, in percent`,
    value: routed.version === currentVersion && currentWeight !== undefined ? String(Math.round(currentWeight * 10000) / 100) : '10',
    validateInput: (value) => (/^\d+(\.\d+)?$/.test(value) && Number(value) <= 100 ? undefined : 'A number from 0 to 100'),
  });
  if (percent === undefined) return undefined;
  return { functionVersion, additionalVersion: routed.version, weight: Number(percent) / 100 };
}

/** Points an alias at another version and sets or removes its weighted routing (UpdateAlias). */
export async function updateAlias(ctx: CommandContext, arg?: FunctionArgument | UpdateAliasArgs): Promise<AliasRecord | undefined> {
  const spec = await resolveConsoleFunction(ctx, arg, 'Update Alias');
  if (!spec) return undefined;
  const store = await ctx.host.functionStore();
  const record = store.require(spec.functionName);
  const input = given<UpdateAliasArgs>(arg, 'name') ?? (await askAliasUpdate(store, spec, arg));
  if (!input) return undefined;
  const weights = input.additionalVersion === undefined ? undefined : input.additionalVersion === null ? null : { [input.additionalVersion]: input.weight ?? 0 };
  const alias = await store.putAlias(record.name, input.name, {
    ...(input.functionVersion !== undefined ? { functionVersion: input.functionVersion } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    weights,
  }, false);
  ctx.logs.note(`Updated alias ${alias.name} of ${record.name}: ${describeRouting(alias)}.`);
  return alias;
}

async function askAliasUpdate(store: FunctionStore, spec: FunctionSpec, arg: unknown): Promise<UpdateAliasArgs | undefined> {
  const record = store.require(spec.functionName);
  const node = arg as { kind?: string; alias?: AliasRecord } | undefined;
  let name = node?.kind === 'alias' ? node.alias?.name : undefined;
  name ??= await vscode.window.showQuickPick([...record.aliases.values()].map((alias) => ({ label: alias.name, description: describeRouting(alias) })), {
    title: `Update an alias of ${spec.functionName}`,
    placeHolder: record.aliases.size > 0 ? 'The alias to update' : `${spec.functionName} has no alias: create one first`,
  }).then((picked) => picked?.label);
  if (!name) return undefined;
  const alias = store.getAlias(record.name, name);
  const target = await askTarget(`Update alias ${alias.name} of ${spec.functionName}`, [...record.versions.keys()], {
    functionVersion: alias.functionVersion,
    pick: true,
    ...(alias.additionalVersionWeights ? { weights: alias.additionalVersionWeights } : {}),
  });
  return target && { functionName: spec.functionName, name, ...target };
}


/** Sets (or removes, with an empty value) the function's reserved concurrency; 0 throttles every invocation, as on Lambda. */
export async function setReservedConcurrency(ctx: CommandContext, arg?: FunctionArgument | ReservedConcurrencyArgs): Promise<number | undefined> {
  const spec = await resolveConsoleFunction(ctx, arg, 'Set Reserved Concurrency');
  if (!spec) return undefined;
  const args = given<ReservedConcurrencyArgs>(arg, 'reservedConcurrency');
  let value: number | undefined;
  if (args) {
    value = args.reservedConcurrency;
  } else {
    const text = await vscode.window.showInputBox({
      title: `Reserved concurrency of ${spec.functionName}`,
      prompt: 'Concurrent executions reserved for the function (0 throttles it; empty removes the reservation)',
      value: spec.reservedConcurrency === undefined ? '' : String(spec.reservedConcurrency),
      validateInput: (input) => (input === '' || /^\d+$/.test(input) ? undefined : 'A whole number, or empty'),
    });
    if (text === undefined) return undefined;
    value = text === '' ? undefined : Number(text);
  }
  const store = await ctx.host.functionStore();
  await store.setReservedConcurrency(spec.functionName, value);
  ctx.logs.note(value === undefined ? `${spec.functionName} has no reserved concurrency.` : `${spec.functionName} reserves ${value} concurrent executions.`);
  return value;
}

/** Deletes a function created through the Lambda API, with its versions and aliases (template functions belong to their template). */
export async function deleteFunction(ctx: CommandContext, arg?: FunctionArgument | DeleteFunctionArgs): Promise<boolean> {
  const spec = await resolveConsoleFunction(ctx, arg, 'Delete Function');
  if (!spec) return false;
  if (!given<DeleteFunctionArgs>(arg, 'confirmed')) {
    const choice = await vscode.window.showWarningMessage(`Delete ${spec.functionName} with its versions and aliases?`, { modal: true }, 'Delete');
    if (choice !== 'Delete') return false;
  }
  await (await ctx.host.functionStore()).delete(spec.functionName, undefined);
  ctx.logs.note(`Deleted ${spec.functionName}.`);
  return true;
}

/**
 * Forgets the workspace's saved state, as `lambda-workbench state reset` does: API-made functions, published versions, aliases,
 * layers and settings, the local queues, tables' items and buckets' objects. The local endpoints stop first (they serve that
 * state); template functions stay, read from their templates.
 */
export async function resetState(ctx: CommandContext, endpoints: { readonly current: unknown; stop(): Promise<void> }, arg?: ResetStateArgs): Promise<boolean> {
  if (arg?.confirmed !== true) {
    const choice = await vscode.window.showWarningMessage(
      'Forget the functions created through the Lambda API, the published versions, aliases, layers and settings, and the local queues, table items and bucket objects?',
      { modal: true, detail: 'Template functions stay: they are read from their templates again.' },
      'Reset State',
    );
    if (choice !== 'Reset State') return false;
  }
  const wereRunning = endpoints.current !== undefined;
  if (wereRunning) await endpoints.stop();
  const removed = await ctx.host.resetState();
  ctx.logs.note(`State reset: removed ${removed}${wereRunning ? ' (the local endpoints were stopped)' : ''}.`);
  return true;
}
