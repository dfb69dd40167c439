// The Problems panel for templates open in editors: `validate`'s diagnostics from the editor's unsaved text, as the user types.
import * as vscode from 'vscode';
import { errorMessage, type SourceEdit } from '../../core/common/errors';
import type { TemplateDiagnostic } from '../../core/template/validateTemplate';
import { TEMPLATE_GLOB, type FunctionCatalog } from '../services/functionCatalog';
import { projectRootFor } from '../platform/projectRoots';

const VALIDATE_DEBOUNCE_MS = 300;
export const DIAGNOSTIC_SOURCE = 'Lambda Workbench';
export const TEMPLATE_DOCUMENTS: vscode.DocumentFilter = { scheme: 'file', pattern: TEMPLATE_GLOB };

/** A diagnostic published for a document version, with the edit that resolves it. */
export interface FixableDiagnostic {
  diagnostic: vscode.Diagnostic;
  fix: SourceEdit;
}

function shownInTab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some((group) =>
    group.tabs.some((tab) => {
      const input = tab.input;
      if (input instanceof vscode.TabInputText) return input.uri.toString() === key;
      return input instanceof vscode.TabInputTextDiff && input.modified.toString() === key;
    }),
  );
}

/** The key (or token) the diagnostic points at; the line's text when it has no column; the first line when no line. */
function rangeOf(document: vscode.TextDocument, problem: TemplateDiagnostic): vscode.Range {
  const line = Math.min(Math.max((problem.line ?? 1) - 1, 0), document.lineCount - 1);
  const text = document.lineAt(line);
  if (problem.column === undefined) return new vscode.Range(line, text.firstNonWhitespaceCharacterIndex, line, text.text.length);
  const start = new vscode.Position(line, Math.min(problem.column - 1, text.text.length));
  const word = document.getWordRangeAtPosition(start, /[^\s:"',{}[\]]+/);
  return word ?? new vscode.Range(start, text.range.end);
}

export function editRange(fix: SourceEdit): vscode.Range {
  return new vscode.Range(fix.line - 1, fix.column - 1, fix.endLine - 1, fix.endColumn - 1);
}

export class TemplateDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('lambda-workbench');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Per document: the version the diagnostics were computed for and their fixes. */
  private readonly fixes = new Map<string, { version: number; fixable: FixableDiagnostic[] }>();
  private readonly subscriptions: vscode.Disposable[];

  /** The catalog's remembered parameter values are the templates' overrides here too; its reloads may change them. */
  constructor(private readonly catalog: FunctionCatalog) {
    this.subscriptions = [
      this.collection,
      catalog.onDidChange(() => vscode.workspace.textDocuments.forEach((document) => this.schedule(document))),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.clear(document.uri)),
      vscode.window.tabGroups.onDidChangeTabs((event) => {
        for (const tab of [...event.opened, ...event.changed]) this.scheduleTab(tab);
        for (const tab of event.closed) {
          if (tab.input instanceof vscode.TabInputText && !shownInTab(tab.input.uri)) this.clear(tab.input.uri);
        }
      }),
    ];
    for (const document of vscode.workspace.textDocuments) this.schedule(document);
  }

  /** The fixes of the diagnostics currently shown for `document`, if they were computed from its current text. */
  fixesOf(document: vscode.TextDocument): readonly FixableDiagnostic[] {
    const entry = this.fixes.get(document.uri.toString());
    return entry && entry.version === document.version ? entry.fixable : [];
  }

  private scheduleTab(tab: vscode.Tab): void {
    if (!(tab.input instanceof vscode.TabInputText)) return;
    const key = tab.input.uri.toString();
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === key);
    if (document) this.schedule(document);
  }

  private schedule(document: vscode.TextDocument): void {
    if (vscode.languages.match(TEMPLATE_DOCUMENTS, document) === 0) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.validate(document);
    }, VALIDATE_DEBOUNCE_MS));
  }

  private async validate(document: vscode.TextDocument): Promise<void> {
    const version = document.version;
    let problems: TemplateDiagnostic[];
    try {
      // The template parser loads on first use, not at activation.
      const { validateTemplate } = await import('../../core/template/validateTemplate.js');
      problems = await validateTemplate(document.uri.fsPath, {
        text: document.getText(),
        parameterOverrides: this.catalog.parameters.valuesFor(document.uri.fsPath),
        projectRoot: projectRootFor(document.uri.fsPath),
      });
    } catch (error) {
      problems = [{ severity: 'error', message: `The template could not be validated: ${errorMessage(error)}`, file: document.uri.fsPath }];
    }
    // A newer text is being validated, or the editor went away meanwhile: these results are stale.
    if (document.isClosed || document.version !== version || !shownInTab(document.uri)) return;
    const fixable: FixableDiagnostic[] = [];
    const diagnostics = problems
      .filter((problem) => problem.file === document.uri.fsPath)
      .map((problem) => {
        const severity = problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
        const diagnostic = new vscode.Diagnostic(rangeOf(document, problem), problem.message, severity);
        diagnostic.source = DIAGNOSTIC_SOURCE;
        if (problem.fix) fixable.push({ diagnostic, fix: problem.fix });
        return diagnostic;
      });
    this.fixes.set(document.uri.toString(), { version, fixable });
    this.collection.set(document.uri, diagnostics);
  }

  private clear(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.fixes.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.subscriptions.forEach((subscription) => subscription.dispose());
  }
}
