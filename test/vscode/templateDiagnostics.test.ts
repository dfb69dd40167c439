// Integration: an open template's problems in the Problems panel as the user types (unsaved text), fixed by the quick fix, cleared on close.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, fixturePath, waitFor, writeFunctionProject } from './helpers';

const SOURCE = 'Lambda Workbench';

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === SOURCE);
}

/** Waits for our diagnostic whose message matches `pattern`. */
function diagnosticMatching(uri: vscode.Uri, pattern: RegExp): Promise<vscode.Diagnostic> {
  return waitFor(`a diagnostic matching ${pattern}`, () => ours(uri).find((diagnostic) => pattern.test(diagnostic.message)), 30_000).catch((error: Error) => {
    throw new Error(`${error.message}; shown: ${JSON.stringify(ours(uri).map((diagnostic) => diagnostic.message))}`);
  });
}

function noDiagnostics(uri: vscode.Uri): Promise<true> {
  return waitFor('the diagnostics to clear', () => ours(uri).length === 0 || undefined, 30_000).catch((error: Error) => {
    throw new Error(`${error.message}; shown: ${JSON.stringify(ours(uri).map((diagnostic) => diagnostic.message))}`);
  });
}

/** Selects the first `text` after `after` in the editor and types `typed` over it, as keystrokes. */
async function typeOver(editor: vscode.TextEditor, after: string, text: string, typed: string): Promise<void> {
  const content = editor.document.getText();
  const at = content.indexOf(text, content.indexOf(after));
  assert.ok(at >= 0, `${text} after ${after} is in the template`);
  editor.selection = new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + text.length));
  for (const character of typed) await vscode.commands.executeCommand('type', { text: character });
}

/** The quick fixes offered where `diagnostic` is, as the light bulb asks for them; applies the one titled `title`. */
async function applyQuickFix(uri: vscode.Uri, diagnostic: vscode.Diagnostic, title: string): Promise<void> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
  const action = actions.find((candidate) => candidate.title === title);
  assert.ok(action?.edit, `"${title}" among the quick fixes: ${JSON.stringify(actions.map((candidate) => candidate.title))}`);
  assert.ok(await vscode.workspace.applyEdit(action.edit));
}

suite('Template diagnostics', () => {
  const folder = fixturePath('diagnosed-project');
  const template = vscode.Uri.file(path.join(folder, 'template.yaml'));
  suiteSetup(async () => {
    // The web workbench saves after a delay by default: the edits must stay unsaved for this suite to mean anything.
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    await activateExtension();
    await writeFunctionProject(folder, 'DiagnosedFunction', ['exports.handler = async () => ({ ok: true });']);
  });
  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('files').update('autoSave', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(vscode.Uri.file(folder), { recursive: true });
  });

  test('a typed error shows at once from the unsaved text, its quick fix removes it, and closing the editor clears the panel', async function () {
    this.timeout(120_000);
    const onDisk = await readFile(template.fsPath, 'utf8');
    const editor = await vscode.window.showTextDocument(template);
    assert.deepEqual(ours(template), []);

    // An unknown runtime: the closest current one is offered.
    await typeOver(editor, 'Runtime:', '20', '99');
    const runtime = await diagnosticMatching(template, /^Runtime 'nodejs99\.x' of DiagnosedFunction is not a Lambda runtime\./);
    assert.equal(runtime.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(editor.document.lineAt(runtime.range.start.line).text.trim(), 'Runtime: nodejs99.x');
    assert.ok(editor.document.isDirty, 'nothing was saved');
    assert.equal(await readFile(template.fsPath, 'utf8'), onDisk, 'the file on disk is unchanged');
    await applyQuickFix(template, runtime, 'Change Runtime to nodejs24.x');
    await noDiagnostics(template);
    assert.match(editor.document.getText(), /Runtime: nodejs24\.x/);

    // A memory size out of range: clamped to the nearest allowed value.
    await typeOver(editor, 'Runtime:', 'nodejs24.x', 'nodejs24.x\nMemorySize: 64');
    const memory = await diagnosticMatching(template, /^MemorySize of DiagnosedFunction is 64, but Lambda allows 128 to 10240\.$/);
    await applyQuickFix(template, memory, 'Change MemorySize to 128');
    await noDiagnostics(template);
    assert.match(editor.document.getText(), /MemorySize: 128/);

    // A CodeUri folder that does not exist (a warning): the existing folder nearest by name.
    await typeOver(editor, 'CodeUri:', 'src/', 'scr/');
    const codeUri = await diagnosticMatching(template, /^CodeUri of DiagnosedFunction is scr\/, but .* does not exist/);
    assert.equal(codeUri.severity, vscode.DiagnosticSeverity.Warning);
    await applyQuickFix(template, codeUri, 'Change CodeUri to src/');
    await noDiagnostics(template);
    assert.equal(await readFile(template.fsPath, 'utf8'), onDisk, 'every check ran on the unsaved text');

    // Closed with an error still in it (changes discarded): the panel no longer lists the template.
    await typeOver(editor, 'MemorySize:', '128', '99999');
    await diagnosticMatching(template, /^MemorySize of DiagnosedFunction is 99999/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await noDiagnostics(template);
    assert.equal(await readFile(template.fsPath, 'utf8'), onDisk);
  });
});
