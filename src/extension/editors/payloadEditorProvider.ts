// Extension host: the event payload custom editor. The TextDocument is the model (undo, save and hot exit work);
// the webview shows it with the sample library, schema validation and Invoke / Debug.
import * as vscode from 'vscode';
import { errorMessage } from '../../core/common/errors';
import { PAYLOAD_EDITOR_VIEW_TYPE, type HostMessage, type WebviewMessage } from '../../shared/webviewProtocol';
import { payloadEditorResourceRoots, renderPayloadEditorHtml } from './payloadEditorHtml';

export interface PayloadEditorDeps {
  invoke(functionName: string, payload: string): Promise<{ payload: string; logs: string[]; functionError?: string; errorType?: string }>;
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
    return vscode.window.registerCustomEditorProvider(PayloadEditorProvider.viewType, new PayloadEditorProvider(context.extensionUri, deps), {
      supportsMultipleEditorsPerDocument: true,
    });
  }

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: PayloadEditorDeps,
  ) {}

  async resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): Promise<void> {
    const events = await import('../../core/events/index.js');
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: payloadEditorResourceRoots(this.extensionUri) };
    webview.html = renderPayloadEditorHtml(webview, this.extensionUri);

    const post = (message: HostMessage): void => void webview.postMessage(message);
    const postDocument = (): void => {
      const text = document.getText();
      post({ type: 'document', text, diagnostics: events.validateEvent(text), eventType: eventTypeOf(events, text) });
    };

    const subscriptions: vscode.Disposable[] = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === document.uri.toString() && e.contentChanges.length > 0) postDocument();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.postInit(events, post)),
      webview.onDidReceiveMessage((message: WebviewMessage) => this.handleMessage(events, message, document, post, postDocument)),
    ];
    panel.onDidDispose(() => subscriptions.forEach((s) => s.dispose()));
  }

  private postInit(events: EventLibrary, post: (message: HostMessage) => void): void {
    post({ type: 'init', samples: events.listSampleEvents(), functions: this.deps.listFunctions(), trusted: vscode.workspace.isTrusted });
  }

  private async handleMessage(
    events: EventLibrary,
    message: WebviewMessage,
    document: vscode.TextDocument,
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
        await this.replaceText(document, events.loadSampleEvent(message.id));
        return;
      case 'refreshFunctions':
        post({ type: 'functions', functions: this.deps.listFunctions() });
        return;
      case 'invoke':
      case 'debug':
        await this.run(message.type, message.functionName, document.getText(), post);
        return;
    }
  }

  private async run(action: 'invoke' | 'debug', functionName: string, payload: string, post: (m: HostMessage) => void): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      post({ type: 'actionFailed', action, message: 'This workspace is in Restricted Mode: trust it to invoke or debug functions.' });
      return;
    }
    post({ type: 'busy', action, functionName });
    try {
      if (action === 'invoke') {
        post({ type: 'invokeResult', functionName, ...(await this.deps.invoke(functionName, payload)) });
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
