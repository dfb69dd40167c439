// Quick fixes for template diagnostics: the edit the validator proposes (nearest allowed value, closest runtime, nearest folder).
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, editRange, TEMPLATE_DOCUMENTS, type TemplateDiagnostics } from './templateDiagnostics';

export class TemplateQuickFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  static register(diagnostics: TemplateDiagnostics): vscode.Disposable {
    return vscode.languages.registerCodeActionsProvider(TEMPLATE_DOCUMENTS, new TemplateQuickFixes(diagnostics), TemplateQuickFixes.metadata);
  }

  constructor(private readonly diagnostics: TemplateDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    return this.diagnostics
      .fixesOf(document)
      .filter(({ diagnostic }) => ours.some((shown) => shown.message === diagnostic.message && shown.range.isEqual(diagnostic.range)))
      .map(({ diagnostic, fix }) => {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, editRange(fix), fix.newText);
        return action;
      });
  }
}
