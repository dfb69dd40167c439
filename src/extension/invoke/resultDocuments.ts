// Read-only JSON documents (scheme lambda-result) showing the latest response of each function.
import * as vscode from 'vscode';
import type { InvokeResult } from '../../core/service/invocation';

export const RESULT_SCHEME = 'lambda-result';

export class ResultDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Shows the response beside the active editor; one document per function, updated in place by later invocations. */
  async show(functionName: string, result: InvokeResult): Promise<vscode.Uri> {
    return this.showPayload(functionName, result.payload);
  }

  /** Shows a response (or error body) of `functionName` in its document: Invoke Function's and the debug sessions'. */
  async showPayload(functionName: string, payload: Buffer): Promise<vscode.Uri> {
    return this.showText(resultUri(functionName), formatPayload(payload));
  }

  /** Shows `text` as the read-only document `uri` (of this scheme) beside the active editor. */
  async showText(uri: vscode.Uri, text: string): Promise<vscode.Uri> {
    this.contents.set(uri.toString(), text);
    this.changeEmitter.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    return uri;
  }

  dispose(): void {
    this.registration.dispose();
    this.changeEmitter.dispose();
  }
}

export function resultUri(functionName: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${functionName} response.json` });
}

/** Pretty-printed JSON when the payload is JSON, the text as is otherwise. */
export function formatPayload(payload: Buffer): string {
  const text = payload.toString('utf8');
  try {
    return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch {
    return text; // Not JSON (a plain string body or a timeout message): shown verbatim.
  }
}
