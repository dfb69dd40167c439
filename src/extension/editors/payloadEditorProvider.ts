// Extension host: the event payload custom editor. The TextDocument is the model (undo, save and hot exit work);
// the webview shows it with the sample library, schema validation and Invoke / Debug.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/common/errors';
import { PAYLOAD_EDITOR_VIEW_TYPE, type HostMessage, type PayloadDiagnostic, type StackFrameLine, type WebviewMessage } from '../../shared/webviewProtocol';
import type { FrameLink } from '../logs/stackTraceMapper';
import { revealPosition } from '../platform/errorReporting';
import { payloadEditorResourceRoots, renderPayloadEditorHtml } from './payloadEditorHtml';

export interface PayloadEditorDeps {
  /** `frames`: the stack of an error response, innermost first, each with the workspace file it names (if any). */
  invoke(functionName: string, payload: string): Promise<{ payload: string; logs: string[]; functionError?: string; errorType?: string; frames: FrameLink[] }>;
  debug(functionName: string, payload: string): Promise<void>;
  listFunctions(): string[];
}

/** The sample library and validators; loaded when the first editor opens, not at activation. */
type EventLibrary = typeof import('../../core/events/index.js');

function eventTypeOf(events: EventLibrary, text: string): string | undefined {
  try {
    return events.detectEventType(JSON.parse(text));
  } catch {
    return undefined;
  }
}

export class PayloadEditorProvider implements vscode.CustomTextEditorProvider {
  static readonly viewType = PAYLOAD_EDITOR_VIEW_TYPE;

  static register(context: vscode.ExtensionContext, deps: PayloadEditorDeps): vscode.Disposable {
    const diagnostics = vscode.languages.createDiagnosticCollection('Lambda event');
    const provider = new PayloadEditorProvider(context.extensionUri, deps, diagnostics);
    return vscode.Disposable.from(
      diagnostics,
      vscode.window.registerCustomEditorProvider(PayloadEditorProvider.viewType, provider, { supportsMultipleEditorsPerDocument: true }),
    );
  }

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: PayloadEditorDeps,
    /** The editor's problems, published so that the Problems panel and the editor count the same list. */
    private readonly diagnostics: vscode.DiagnosticCollection,
  ) {}

  async resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): Promise<void> {
    const events = await import('../../core/events/index.js');
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: payloadEditorResourceRoots(this.extensionUri) };
    webview.html = renderPayloadEditorHtml(webview, this.extensionUri);

    const post = (message: HostMessage): void => void webview.postMessage(message);
    /** The stack of the last result shown: `openFrame` names a frame by its index, never a file. */
    const shown: EditorState = { frames: [] };
    let handled: Promise<void> = Promise.resolve();
    const postDocument = (): void => {
      const text = document.getText();
      const problems = events.validateEvent(text);
      this.diagnostics.set(document.uri, problems.map(toDiagnostic));
      const invalidJson = jsonProblem(text, problems);
      post({ type: 'document', text, diagnostics: problems, eventType: eventTypeOf(events, text), ...(invalidJson ? { invalidJson } : {}) });
    };

    const subscriptions: vscode.Disposable[] = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === document.uri.toString() && e.contentChanges.length > 0) postDocument();
      }),
      vscode.languages.onDidChangeDiagnostics((e) => {
        if (!e.uris.some((uri) => uri.toString() === document.uri.toString())) return;
        post({ type: 'diagnostics', diagnostics: vscode.languages.getDiagnostics(document.uri).map(fromDiagnostic) });
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.postInit(events, post)),
      // One message at a time, in order: an Invoke sent right after an edit runs on the edited text.
      webview.onDidReceiveMessage((message: WebviewMessage) => {
        handled = handled.then(() => this.handleMessage(events, message, document, shown, post, postDocument)).catch(() => undefined);
      }),
    ];
    panel.onDidDispose(() => {
      subscriptions.forEach((s) => s.dispose());
      this.diagnostics.delete(document.uri);
    });
  }

  private postInit(events: EventLibrary, post: (message: HostMessage) => void): void {
    post({ type: 'init', samples: events.listSampleEvents(), functions: this.deps.listFunctions(), trusted: vscode.workspace.isTrusted });
  }

  private async handleMessage(
    events: EventLibrary,
    message: WebviewMessage,
    document: vscode.TextDocument,
    shown: EditorState,
    post: (m: HostMessage) => void,
    postDocument: () => void,
  ): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.postInit(events, post);
        postDocument();
        return;
      case 'edit':
        await this.replaceText(document, message.text);
        return;
      case 'loadSample':
        if (await confirmReplace(document, message.id)) await this.replaceText(document, events.loadSampleEvent(message.id));
        return;
      case 'refreshFunctions':
        post({ type: 'functions', functions: this.deps.listFunctions() });
        return;
      case 'invoke':
      case 'debug': {
        const text = document.getText();
        // The webview disables both buttons while the text is not JSON; an edit in flight can still race them.
        const invalidJson = jsonProblem(text, events.validateEvent(text));
        if (invalidJson) post({ type: 'actionFailed', action: message.type, message: invalidJson });
        else await this.run(message.type, message.functionName, text, shown, post);
        return;
      }
      case 'openFrame': {
        const position = shown.frames[message.index]?.position;
        if (position) await revealPosition(position);
        return;
      }
    }
  }

  private async run(action: 'invoke' | 'debug', functionName: string, payload: string, shown: EditorState, post: (m: HostMessage) => void): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      post({ type: 'actionFailed', action, message: 'This workspace is in Restricted Mode: trust it to invoke or debug functions.' });
      return;
    }
    post({ type: 'busy', action, functionName });
    try {
      if (action === 'invoke') {
        const { frames, ...result } = await this.deps.invoke(functionName, payload);
        shown.frames = frames;
        post({ type: 'invokeResult', functionName, ...result, frames: frames.map(frameLine) });
      } else {
        await this.deps.debug(functionName, payload);
        post({ type: 'debugStarted', functionName });
      }
    } catch (error) {
      post({ type: 'actionFailed', action, message: errorMessage(error) });
    }
  }

  /** Replaces the whole document through a WorkspaceEdit, so the change joins the undo stack and marks the file dirty. */
  private async replaceText(document: vscode.TextDocument, text: string): Promise<void> {
    if (document.getText() === text) return;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
    await vscode.workspace.applyEdit(edit);
  }
}

/** What one editor showed last. */
interface EditorState {
  frames: FrameLink[];
}

/** A frame as the webview shows it: the line, and "file:line" when it links to a file (the path stays in the host). */
function frameLine(frame: FrameLink): StackFrameLine {
  return frame.position
    ? { text: frame.text.trim(), location: `${vscode.workspace.asRelativePath(frame.position.file)}:${frame.position.line}` }
    : { text: frame.text.trim() };
}

/** A saved event is only replaced after the user says so (Undo still brings it back while the editor is open). */
async function confirmReplace(document: vscode.TextDocument, sampleId: string): Promise<boolean> {
  if (document.isUntitled || document.getText().trim() === '') return true;
  const choice = await vscode.window.showWarningMessage(
    `Replace the event in ${path.basename(document.uri.fsPath)} with the ${sampleId} sample?`,
    { modal: true, detail: 'The saved file changes when you save; Undo brings the current event back.' },
    'Replace',
  );
  return choice === 'Replace';
}

/** Why the text cannot be invoked: the syntax problem, with its position; undefined when it is JSON. */
function jsonProblem(text: string, problems: PayloadDiagnostic[]): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const syntax = problems.find((problem) => problem.path === '');
    return syntax ? `Not valid JSON (line ${syntax.line}, column ${syntax.column}): ${syntax.message}` : `Not valid JSON: ${errorMessage(error)}`;
  }
}

function toDiagnostic(problem: PayloadDiagnostic): vscode.Diagnostic {
  const at = new vscode.Position(problem.line - 1, problem.column - 1);
  // Syntax errors block invoking; schema findings (path set) are advice.
  const severity = problem.path === '' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
  const diagnostic = new vscode.Diagnostic(new vscode.Range(at, at), problem.message, severity);
  diagnostic.source = 'Lambda event';
  return diagnostic;
}

function fromDiagnostic(diagnostic: vscode.Diagnostic): PayloadDiagnostic {
  return { message: diagnostic.message, line: diagnostic.range.start.line + 1, column: diagnostic.range.start.character + 1, path: '' };
}
