// Values for template parameters without Default: asked once (an input box naming the parameter with its Description, a
// quick pick of its AllowedValues), remembered per workspace, cleared on demand.
import * as vscode from 'vscode';
import type { MissingParameter } from '../../core/template/templateParameters';
import type { TemplateEntry } from '../services/functionCatalog';
import type { CommandContext } from './commandContext';

/** A template and, for callers that know them (tests, other extensions), the answers. */
export interface ParameterArguments {
  templatePath?: string;
  values?: Record<string, string>;
}

/** Asks for the values of a template's parameters without Default, remembers them and reads the template again. */
export async function setTemplateParameters(ctx: CommandContext, arg?: ParameterArguments): Promise<Record<string, string> | undefined> {
  await ctx.catalog.ready();
  const needing = ctx.catalog.templates.filter((entry) => entry.missingParameters?.length);
  const entry = arg?.templatePath ? needing.find((candidate) => candidate.path === arg.templatePath) : await chooseTemplate(needing);
  if (!entry) {
    if (!needing.length) void vscode.window.showInformationMessage('No template of the workspace needs parameter values: each parameter has a Default or a remembered value.');
    return undefined;
  }
  const values: Record<string, string> = {};
  for (const parameter of entry.missingParameters ?? []) {
    const value = arg?.values?.[parameter.name] ?? (await askFor(parameter, entry.path));
    // Cancelled: nothing is remembered, the next Enter Values asks again.
    if (value === undefined) return undefined;
    values[parameter.name] = value;
  }
  await ctx.catalog.parameters.remember(entry.path, values);
  ctx.logs.note(`Parameters of ${vscode.workspace.asRelativePath(entry.path)} remembered for this workspace: ${Object.keys(values).join(', ')}.`);
  await ctx.catalog.reload();
  return values;
}

/** Forgets every remembered parameter value; the templates are read again (and ask again). */
export async function clearTemplateParameters(ctx: CommandContext): Promise<number> {
  const count = await ctx.catalog.parameters.clear();
  await ctx.catalog.reload();
  void vscode.window.showInformationMessage(count ? `Forgot ${count} remembered template parameter value(s).` : 'No template parameter values were remembered.');
  return count;
}

async function chooseTemplate(needing: TemplateEntry[]): Promise<TemplateEntry | undefined> {
  if (needing.length <= 1) return needing[0];
  const picked = await vscode.window.showQuickPick(
    needing.map((entry) => ({ label: vscode.workspace.asRelativePath(entry.path), description: entry.missingParameters?.map((p) => p.name).join(', '), entry })),
    { title: 'Enter Template Parameter Values', placeHolder: 'Template whose parameters need values' },
  );
  return picked?.entry;
}

function askFor(parameter: MissingParameter, templatePath: string): Thenable<string | undefined> {
  const title = `Parameter ${parameter.name} of ${vscode.workspace.asRelativePath(templatePath)}`;
  const about = parameter.description ?? `${parameter.name} has no Default: the value its functions run with locally`;
  if (parameter.allowedValues?.length) {
    return vscode.window.showQuickPick(parameter.allowedValues, { title, placeHolder: about, ignoreFocusOut: true });
  }
  return vscode.window.showInputBox({ title, prompt: about, ignoreFocusOut: true, ...(parameter.type ? { placeHolder: parameter.type } : {}) });
}
