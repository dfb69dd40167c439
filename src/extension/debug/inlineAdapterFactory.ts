// Extension host: runs the Lambda Workbench debug adapter inside the extension host (no separate process).
import * as vscode from 'vscode';
import { LambdaDebugSession } from '../../adapter/lambdaDebugSession';

export class InlineAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  createDebugAdapterDescriptor(): vscode.DebugAdapterDescriptor {
    return new vscode.DebugAdapterInlineImplementation(new LambdaDebugSession());
  }
}
