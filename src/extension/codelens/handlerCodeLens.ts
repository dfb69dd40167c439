// "Invoke | Debug" CodeLens above every exported handler that a template references (JavaScript, TypeScript, Python).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FunctionSpec } from '../../core/template/functionSpec';
import { findHandlerLine, resolveHandlerSource, type HandlerSource } from '../functions/handlerSource';
import type { FunctionCatalog } from '../services/functionCatalog';

const HANDLER_DOCUMENTS: vscode.DocumentSelector = [
  { scheme: 'file', language: 'javascript' },
  { scheme: 'file', language: 'typescript' },
  { scheme: 'file', language: 'python' },
];

export class HandlerCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changeEmitter.event;
  /** Handler source file -> the functions whose handler it is, rebuilt when the templates change. */
  private handlersByFile: Map<string, { spec: FunctionSpec; source: HandlerSource }[]> | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly catalog: FunctionCatalog) {
    this.subscription = catalog.onDidChange(() => {
      this.handlersByFile = undefined;
      this.changeEmitter.fire();
    });
  }

  static register(catalog: FunctionCatalog): vscode.Disposable {
    const provider = new HandlerCodeLensProvider(catalog);
    return vscode.Disposable.from(provider, vscode.languages.registerCodeLensProvider(HANDLER_DOCUMENTS, provider));
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    await this.catalog.ready();
    const handlers = this.handlers().get(path.normalize(document.uri.fsPath)) ?? [];
    const lenses: vscode.CodeLens[] = [];
    const text = document.getText();
    for (const { spec, source } of handlers) {
      const line = findHandlerLine(text, source.exportName, source.language);
      if (line === undefined) continue;
      const range = new vscode.Range(line, 0, line, 0);
      const suffix = handlers.length > 1 ? ` ${spec.functionName}` : '';
      const args = [{ functionName: spec.functionName }];
      lenses.push(
        new vscode.CodeLens(range, { title: `$(play) Invoke${suffix}`, command: 'lambdaWorkbench.invokeFunction', arguments: args, tooltip: `Invoke ${spec.functionName} with its last event (asks the first time)` }),
        new vscode.CodeLens(range, { title: `$(debug-alt) Debug${suffix}`, command: 'lambdaWorkbench.debugFunction', arguments: args, tooltip: `Debug ${spec.functionName} with its last event (asks the first time)` }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }

  private handlers(): Map<string, { spec: FunctionSpec; source: HandlerSource }[]> {
    if (!this.handlersByFile) {
      this.handlersByFile = new Map();
      for (const spec of this.catalog.functions()) {
        const source = resolveHandlerSource(spec);
        if (!source) continue;
        const key = path.normalize(source.file);
        this.handlersByFile.set(key, [...(this.handlersByFile.get(key) ?? []), { spec, source }]);
      }
    }
    return this.handlersByFile;
  }
}
