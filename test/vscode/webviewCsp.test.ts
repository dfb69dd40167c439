// Integration: every webview's HTML carries a strict Content Security Policy (nothing by default, scripts only by a fresh
// nonce, no 'unsafe-inline' or 'unsafe-eval', no inline handlers), rendered by the real builder in the extension host.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { renderPayloadEditorHtml } from '../../src/extension/editors/payloadEditorHtml';

const SOURCES = path.resolve(__dirname, '../../../src');
/** The API calls that make a webview: each place that makes one must have its HTML checked here. */
const WEBVIEW_FACTORIES = /\b(createWebviewPanel|registerCustomEditorProvider|registerWebviewViewProvider|registerWebviewPanelSerializer)\(/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sourceFiles(file) : file.endsWith('.ts') ? [file] : [];
  });
}

/** A webview as the builder sees it: its CSP source and resource URIs. */
const webview = {
  cspSource: 'https://lambda-workbench.vscode-resource.vscode-cdn.net',
  asWebviewUri: (uri: vscode.Uri) => uri.with({ scheme: 'https', authority: 'lambda-workbench.vscode-resource.vscode-cdn.net' }),
} as unknown as vscode.Webview;

function policyOf(html: string): Map<string, string[]> {
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(meta, 'the HTML has a Content-Security-Policy meta tag');
  return new Map(meta[1]!.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...sources]) => [name!, sources]));
}

suite('Webview Content Security Policy', () => {
  test('the payload editor is the only webview the extension makes', () => {
    const makers = sourceFiles(SOURCES).filter((file) => WEBVIEW_FACTORIES.test(readFileSync(file, 'utf8')));
    assert.deepEqual(makers.map((file) => path.relative(SOURCES, file)), [path.join('extension', 'editors', 'payloadEditorProvider.ts')],
      'a new webview needs its HTML checked by this suite');
  });

  test("the payload editor's HTML: default-src 'none', scripts by nonce only, no unsafe sources, no inline handlers", () => {
    const extensionUri = vscode.Uri.file(path.resolve(__dirname, '../../..'));
    const html = renderPayloadEditorHtml(webview, extensionUri);
    const policy = policyOf(html);
    assert.deepEqual(policy.get('default-src'), ["'none'"]);
    const scriptSources = policy.get('script-src') ?? [];
    assert.equal(scriptSources.length, 1, `script-src ${scriptSources.join(' ')}`);
    const nonce = /^'nonce-([A-Za-z0-9+/=]+)'$/.exec(scriptSources[0] ?? '')?.[1];
    assert.ok(nonce && Buffer.from(nonce, 'base64').length >= 16, 'a nonce of 128 bits or more');
    for (const [directive, sources] of policy) {
      for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", '*', 'http:', 'https:', 'data:']) {
        if (unsafe === 'data:' && directive === 'img-src') continue;
        assert.ok(!sources.includes(unsafe), `${directive} allows ${unsafe}`);
      }
    }
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1] ?? '');
    assert.ok(scripts.length > 0);
    for (const attributes of scripts) assert.match(attributes, new RegExp(`\\bnonce="${nonce!.replace(/[+/=]/g, '\\$&')}"`));
    assert.ok(!/<[^>]+\son[a-z]+\s*=/i.test(html), 'no inline event handlers');
    assert.ok(!/<style\b/i.test(html) && !/\sstyle\s*=/i.test(html), 'no inline styles');
  });

  test('each render draws a new nonce', () => {
    const extensionUri = vscode.Uri.file(path.resolve(__dirname, '../../..'));
    const nonces = Array.from({ length: 3 }, () => policyOf(renderPayloadEditorHtml(webview, extensionUri)).get('script-src')?.[0]);
    assert.equal(new Set(nonces).size, 3);
  });
});
