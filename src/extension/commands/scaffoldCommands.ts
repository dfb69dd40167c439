// "New Function from Blueprint" and "New Application from Template": quick picks over the shipped blueprints, then scaffolding.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { listBlueprints, scaffoldBlueprint, type BlueprintInfo, type BlueprintKind, type BlueprintLanguage, type ScaffoldResult } from '../../core/blueprints';
import type { CommandContext } from './commandContext';

/** Arguments for callers that skip the quick picks (tests, the walkthrough, other extensions). */
export interface ScaffoldArgs {
  blueprintId: string;
  language: BlueprintLanguage;
  /** Absolute directory to scaffold into (created if missing). */
  targetDir: string;
  /** Logical id of the new function; the blueprint's default when omitted. */
  functionName?: string;
}

const LANGUAGE_LABELS: Record<BlueprintLanguage, string> = { javascript: 'JavaScript', typescript: 'TypeScript', python: 'Python' };

export function newFunctionFromBlueprint(ctx: CommandContext, args?: ScaffoldArgs): Promise<ScaffoldResult | undefined> {
  return scaffold(ctx, 'function', args);
}

export function newApplicationFromTemplate(ctx: CommandContext, args?: ScaffoldArgs): Promise<ScaffoldResult | undefined> {
  return scaffold(ctx, 'application', args);
}

async function scaffold(ctx: CommandContext, kind: BlueprintKind, args: ScaffoldArgs | undefined): Promise<ScaffoldResult | undefined> {
  const request = args ?? (await askScaffoldArgs(kind));
  if (!request) return undefined;
  const result = await scaffoldBlueprint(request.blueprintId, request.language, request.targetDir, {
    ...(request.functionName ? { functionName: request.functionName } : {}),
  });
  // The new template or function is listed (and invokable) once the command returns.
  await ctx.catalog.reload();
  await reportScaffold(result, !args);
  return result;
}

async function askScaffoldArgs(kind: BlueprintKind): Promise<ScaffoldArgs | undefined> {
  const noun = kind === 'function' ? 'function blueprint' : 'application template';
  const blueprint = await pickBlueprint(kind, noun);
  if (!blueprint) return undefined;
  const language = await pickLanguage(blueprint);
  if (!language) return undefined;
  const functionName = await vscode.window.showInputBox({
    title: `${blueprint.title}: function name`,
    prompt: 'CloudFormation logical id of the function (leave empty for the blueprint default)',
    validateInput: (value) =>
      value === '' || /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(value) ? undefined : 'A letter followed by letters and digits (at most 64), e.g. OrderHandler',
  });
  if (functionName === undefined) return undefined;
  const targetDir = await pickTargetFolder(blueprint);
  if (!targetDir) return undefined;
  return { blueprintId: blueprint.id, language, targetDir, ...(functionName ? { functionName } : {}) };
}

async function pickBlueprint(kind: BlueprintKind, noun: string): Promise<BlueprintInfo | undefined> {
  const picked = await vscode.window.showQuickPick(
    listBlueprints()
      .filter((blueprint) => blueprint.kind === kind)
      .map((blueprint) => ({
        label: blueprint.title,
        detail: blueprint.description,
        description: blueprint.languages.map((l) => LANGUAGE_LABELS[l]).join(', '),
        blueprint,
      })),
    { title: `New ${kind === 'function' ? 'Function' : 'Application'}`, placeHolder: `Choose a ${noun}`, matchOnDetail: true },
  );
  return picked?.blueprint;
}

async function pickLanguage(blueprint: BlueprintInfo): Promise<BlueprintLanguage | undefined> {
  if (blueprint.languages.length === 1) return blueprint.languages[0];
  const picked = await vscode.window.showQuickPick(
    blueprint.languages.map((language) => ({ label: LANGUAGE_LABELS[language], language })),
    { title: `${blueprint.title}: language`, placeHolder: 'Choose a language' },
  );
  return picked?.language;
}

/** Blueprints bring their own template.yaml: each goes into a new folder of the first workspace folder. */
async function pickTargetFolder(blueprint: BlueprintInfo): Promise<string | undefined> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root) {
    void vscode.window.showWarningMessage(`Open a folder first: the new ${blueprint.kind} is created inside the workspace.`);
    return undefined;
  }
  const name = await vscode.window.showInputBox({
    title: `${blueprint.title}: folder`,
    prompt: `New folder in ${root} (existing files in it are never overwritten)`,
    value: blueprint.id,
    validateInput: (value) => (/^[\w.-]+$/.test(value) ? undefined : 'Letters, digits, dots, dashes and underscores only'),
  });
  return name ? path.join(root, name) : undefined;
}

async function reportScaffold(result: ScaffoldResult, interactive: boolean): Promise<void> {
  if (!interactive) return;
  const skipped = result.skipped.length > 0 ? `; ${result.skipped.length} existing file(s) left untouched` : '';
  void vscode.window.showInformationMessage(`Created ${result.created.length} file(s)${skipped}.`);
  const firstSource = result.created.find((file) => /\.(?:[cm]?[jt]s|py)$/.test(file) && !/\.test\.|test_|[\\/]tests?[\\/]/.test(file));
  if (firstSource) await vscode.window.showTextDocument(vscode.Uri.file(firstSource));
}
