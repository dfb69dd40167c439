// Extension host: runs the Lambda Workbench debug adapter inside the extension host (no separate process).
import * as vscode from 'vscode';
import type { SharedServiceProvider } from '../../adapter/sharedService';

export class InlineAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  /** Sessions run on the window's service, so the view, status bar and palette see their environments. */
  constructor(private readonly shared: SharedServiceProvider) {}

  /** The adapter (and the engine under it) loads with the first debug session, not at activation. */
  async createDebugAdapterDescriptor(): Promise<vscode.DebugAdapterDescriptor> {
    const { LambdaDebugSession } = await import('../../adapter/lambdaDebugSession.js');
    return new vscode.DebugAdapterInlineImplementation(new LambdaDebugSession(this.shared));
  }
}
