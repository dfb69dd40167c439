// The extension's main module (dist/extension.js): loads the extension (dist/extensionMain.js) through V8's code cache.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { loadBundle } from './core/common/bundleCodeCache';
import type * as extension from './extension';

let loaded: typeof extension | undefined;

export function activate(context: vscode.ExtensionContext): extension.WorkbenchApi {
  // The cache lives in the extension's global storage, a directory of the user's profile.
  const cacheDir = path.join(context.globalStorageUri.fsPath, 'code-cache');
  loaded = loadBundle<typeof extension>({ file: path.join(__dirname, 'extensionMain.js'), cacheDir, cacheName: 'extensionMain', flagsSetByBundle: [],
    chunkPrefix: './vendor/' });
  return loaded.activate(context);
}

export function deactivate(): Promise<void> | undefined {
  return loaded?.deactivate();
}
