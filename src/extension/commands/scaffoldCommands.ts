// "New Function from Blueprint" and "New Application from Template": quick picks over the shipped blueprints, then scaffolding.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BLUEPRINT_RUNTIMES, listBlueprints, scaffoldBlueprint, type BlueprintInfo, type BlueprintKind, type BlueprintLanguage, type ScaffoldResult } from '../../core/blueprints';
import type { CommandContext } from './commandContext';

/** Arguments for callers that skip the quick picks (tests, the walkthrough, other extensions). */
export interface ScaffoldArgs {
  blueprintId: string;
  language: BlueprintLanguage;
  /** Absolute directory to scaffold into (created if missing). */
  targetDir: string;
  /** Logical id of the new function; the blueprint's default when omitted. */
  functionName?: string;
  /** One of the language's BLUEPRINT_RUNTIMES; the first when omitted. */
  runtime?: string;
}

const LANGUAGE_LABELS: Record<BlueprintLanguage, string> = { javascript: 'JavaScript', typescript: 'TypeScript', python: 'Python' };
/** Listed first, and so selected: the blueprint to start with. */
const STARTER_BLUEPRINT_ID = 'hello';
/** The wizard's steps stay open when focus moves (the walkthrough marks its step done as the command starts). */
const STAY_OPEN = { ignoreFocusOut: true } as const;

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
    ...(request.runtime ? { runtime: request.runtime } : {}),
  });
  // The new template or function is listed (and invokable) once the command returns.
  await ctx.catalog.addTemplates([...result.created, ...result.skipped]);
  if (!args) await reportScaffold(ctx, request.targetDir, result);
  return result;
}

async function askScaffoldArgs(kind: BlueprintKind): Promise<ScaffoldArgs | undefined> {
  const noun = kind === 'function' ? 'function blueprint' : 'application template';
  const blueprint = await pickBlueprint(kind, noun);
  if (!blueprint) return undefined;
  const runtime = await pickRuntime(blueprint);
  if (!runtime) return undefined;
  const functionName = await vscode.window.showInputBox({
    ...STAY_OPEN,
    title: `${blueprint.title}: function name`,
    // The prompt wraps, so the blueprint's whole description is readable here.
    prompt: `${blueprint.description} CloudFormation logical id of the function (default ${blueprint.defaultFunctionName}).`,
    value: blueprint.defaultFunctionName,
    validateInput: (value) =>
      value === '' || /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(value) ? undefined : 'A letter followed by letters and digits (at most 64), e.g. OrderHandler',
  });
  if (functionName === undefined) return undefined;
  const targetDir = await pickTargetFolder(blueprint);
  if (!targetDir) return undefined;
  return { blueprintId: blueprint.id, ...runtime, targetDir, ...(functionName ? { functionName } : {}) };
}

async function pickBlueprint(kind: BlueprintKind, noun: string): Promise<BlueprintInfo | undefined> {
  const blueprints = listBlueprints().filter((blueprint) => blueprint.kind === kind);
  const ordered = [...blueprints.filter((b) => b.id === STARTER_BLUEPRINT_ID), ...blueprints.filter((b) => b.id !== STARTER_BLUEPRINT_ID)];
  const picked = await vscode.window.showQuickPick(
    ordered.map((blueprint) => ({
      label: blueprint.title,
      detail: blueprint.description,
      description: blueprint.languages.map((l) => LANGUAGE_LABELS[l]).join(', '),
      blueprint,
    })),
    { ...STAY_OPEN, title: `New ${kind === 'function' ? 'Function' : 'Application'}`, placeHolder: `Choose a ${noun}`, matchOnDetail: true },
  );
  return picked?.blueprint;
}

/** Language and runtime version in one step: "JavaScript  nodejs22.x". */
async function pickRuntime(blueprint: BlueprintInfo): Promise<{ language: BlueprintLanguage; runtime: string } | undefined> {
  const choices = blueprint.languages.flatMap((language) =>
    BLUEPRINT_RUNTIMES[language].map((runtime, index) => ({
      label: LANGUAGE_LABELS[language],
      description: runtime,
      detail: index === 0 ? 'default' : undefined,
      choice: { language, runtime },
    })),
  );
  const picked = await vscode.window.showQuickPick(choices, {
    ...STAY_OPEN,
    title: `${blueprint.title}: language and runtime`,
    placeHolder: 'Choose a language and its runtime version',
    matchOnDescription: true,
  });
  return picked?.choice;
}

/** Blueprints bring their own template.yaml: each goes into a new folder of the first workspace folder. */
async function pickTargetFolder(blueprint: BlueprintInfo): Promise<string | undefined> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root) {
    void vscode.window.showWarningMessage(`Open a folder first: the new ${blueprint.kind} is created inside the workspace.`);
    return undefined;
  }
  const name = await vscode.window.showInputBox({
    ...STAY_OPEN,
    title: `${blueprint.title}: folder`,
    prompt: `New folder in ${root} (existing files in it are never overwritten)`,
    value: blueprint.id,
    validateInput: (value) => (/^[\w.-]+$/.test(value) ? undefined : 'Letters, digits, dots, dashes and underscores only'),
  });
  return name ? path.join(root, name) : undefined;
}

/** Opens the new handler, and names every created file, with "Open..." to open any of them. */
async function reportScaffold(ctx: CommandContext, targetDir: string, result: ScaffoldResult): Promise<void> {
  const relative = (file: string) => path.relative(targetDir, file).split(path.sep).join('/');
  const folder = vscode.workspace.asRelativePath(targetDir);
  ctx.logs.note(`Created in ${folder}: ${result.created.map(relative).join(', ') || 'nothing'}`);
  const skipped = result.skipped.length > 0 ? ` (${result.skipped.length} existing file(s) left untouched: ${result.skipped.map(relative).join(', ')})` : '';
  void vscode.window
    .showInformationMessage(`Created ${result.created.length} file(s) in ${folder}: ${result.created.map(relative).join(', ')}${skipped}.`, 'Open...')
    .then(async (choice) => {
      if (choice !== 'Open...') return;
      const picked = await vscode.window.showQuickPick(
        result.created.map((file) => ({ label: relative(file), uri: vscode.Uri.file(file) })),
        { title: `Open a file of ${folder}`, canPickMany: true },
      );
      for (const item of picked ?? []) await vscode.window.showTextDocument(item.uri, { preview: false });
    });
  const firstSource = result.created.find((file) => /\.(?:[cm]?[jt]s|py)$/.test(file) && !/\.test\.|test_|[\\/]tests?[\\/]/.test(file));
  if (firstSource) await vscode.window.showTextDocument(vscode.Uri.file(firstSource));
}
