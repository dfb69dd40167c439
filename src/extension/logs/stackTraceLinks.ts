// Makes file:line locations in the log channel clickable, mapping container paths (/var/task/...) to workspace files.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { FunctionCatalog } from '../services/functionCatalog';
import { findStackLocations, functionNameOfLine, mapToWorkspace } from './stackTraceMapper';
import { LOG_CHANNEL_NAME } from './logChannel';

export class StackTraceLinkProvider implements vscode.DocumentLinkProvider {
  constructor(private readonly catalog: FunctionCatalog) {}

  /** Output channels are documents of the `output` scheme; only ours is scanned. */
  static register(catalog: FunctionCatalog): vscode.Disposable {
    return vscode.languages.registerDocumentLinkProvider({ scheme: 'output' }, new StackTraceLinkProvider(catalog));
  }

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    if (!decodeURIComponent(document.uri.toString()).includes(LOG_CHANNEL_NAME)) return [];
    return this.linksIn(document);
  }

  linksIn(document: vscode.TextDocument): vscode.DocumentLink[] {
    const links: vscode.DocumentLink[] = [];
    for (let lineNumber = 0; lineNumber < document.lineCount; lineNumber++) {
      const text = document.lineAt(lineNumber).text;
      const locations = findStackLocations(text);
      if (locations.length === 0) continue;
      const functionName = functionNameOfLine(text);
      const spec = functionName ? this.catalog.find(functionName) : undefined;
      for (const location of locations) {
        const file = mapToWorkspace(location.printedPath, spec, existsSync);
        if (!file) continue;
        const target = vscode.Uri.file(file).with({ fragment: `L${location.line}${location.column ? `,${location.column}` : ''}` });
        const link = new vscode.DocumentLink(new vscode.Range(lineNumber, location.start, lineNumber, location.end), target);
        link.tooltip = `Open ${vscode.workspace.asRelativePath(file)} at line ${location.line}`;
        links.push(link);
      }
    }
    return links;
  }
}
