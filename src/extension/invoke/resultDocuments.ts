// Read-only JSON documents (scheme lambda-result) showing the latest response of each function, and the invocation behind it.
import * as vscode from 'vscode';

export const RESULT_SCHEME = 'lambda-result';

/** An invocation whose response a document shows: what "Save as Test" records. */
export interface ShownInvocation {
  functionName: string;
  event: Buffer;
  response: Buffer;
  /** The function returned an error. */
  failed: boolean;
  /** The version or alias invoked, when the invocation named one. */
  qualifier?: string;
}

export class ResultDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly invocations = new Map<string, ShownInvocation>();
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /**
   * Shows the response beside the active editor; one document per function (or `name`, e.g. a qualified name), updated
   * in place by later invocations.
   */
  async show(invocation: ShownInvocation, name = invocation.functionName): Promise<vscode.Uri> {
    const uri = resultUri(name);
    this.invocations.set(uri.toString(), invocation);
    return this.showText(uri, formatPayload(invocation.response));
  }

  /** The invocation whose response `uri` shows (Invoke Function's or a debug session's), if it is one. */
  invocationOf(uri: vscode.Uri): ShownInvocation | undefined {
    return this.invocations.get(uri.toString());
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

function resultUri(functionName: string): vscode.Uri {
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
