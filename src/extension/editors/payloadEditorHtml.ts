// Extension host: the payload editor's HTML shell with a strict Content Security Policy and a per-render nonce.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** The folders the webview may load from; nothing else in the extension or workspace is reachable. */
export function payloadEditorResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function renderPayloadEditorHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64');
  const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'payloadEditor.js'));
  const styleUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'payloadEditor.css'));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${styleUri}">
  <title>Event payload</title>
</head>
<body>
  <header class="toolbar" role="toolbar" aria-label="Event payload actions">
    <label for="sample">Sample event</label>
    <select id="sample"><option value="">Choose a sample...</option></select>
    <button id="load-sample" type="button" disabled>Replace with sample</button>
    <span class="spacer"></span>
    <label for="function">Function</label>
    <select id="function"></select>
    <button id="refresh-functions" type="button" title="Reload the function list" aria-label="Reload the function list">&#x21bb;</button>
    <button id="invoke" type="button" class="primary" title="Invoke (Ctrl+Enter)" aria-keyshortcuts="Control+Enter" aria-describedby="invoke-reason">Invoke</button>
    <button id="debug" type="button" aria-describedby="invoke-reason">Debug</button>
    <span id="invoke-reason" class="reason" role="status"></span>
  </header>
  <main class="layout">
    <section class="editor" aria-labelledby="payload-label">
      <div class="section-title"><label id="payload-label" for="payload">Event JSON</label><span id="event-type" class="badge"></span></div>
      <div class="code">
        <pre id="payload-colours" class="colours" aria-hidden="true"></pre>
        <textarea id="payload" wrap="off" spellcheck="false" autocomplete="off" aria-describedby="problems-title"></textarea>
      </div>
      <h2 id="problems-title" class="section-title">Problems <span id="problem-count" class="badge">0</span></h2>
      <ul id="problems" class="problems" aria-labelledby="problems-title"></ul>
    </section>
    <section class="result" aria-label="Invocation result">
      <h2 class="section-title">Response <span id="response-status" class="badge"></span></h2>
      <pre id="response" tabindex="0" aria-label="Response payload"></pre>
      <h2 id="frames-title" class="section-title" hidden>Stack trace</h2>
      <ul id="frames" class="frames" aria-labelledby="frames-title" hidden></ul>
      <h2 class="section-title">Logs</h2>
      <pre id="logs" tabindex="0" aria-label="Invocation logs"></pre>
    </section>
  </main>
  <div id="status" class="status" role="status" aria-live="polite"></div>
  <script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}
