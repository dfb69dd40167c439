// Shows a failed action to the user: the error's one-line description, with "Show Logs" and a button to the file it points at.
import * as vscode from 'vscode';
import { errorMessage, isWorkbenchError } from '../../core/common/errors';
import { ServiceError } from '../../core/service/invocation';
import type { LogChannel } from '../logs/logChannel';
import type { SourcePosition } from '../logs/stackTraceMapper';

/** One line: Lambda API errors with their exception name, Workbench errors with their location and hint. */
export function describeError(error: unknown): string {
  return error instanceof ServiceError ? `${error.code}: ${error.message}` : errorMessage(error);
}

export async function reportError(action: string, error: unknown, logs: LogChannel): Promise<void> {
  const message = describeError(error);
  const location = isWorkbenchError(error) ? error.options.location : undefined;
  const choice = await vscode.window.showErrorMessage(`${action} failed: ${message}`, 'Show Logs', ...(location ? ['Open File'] : []));
  if (choice === 'Show Logs') logs.show();
  if (choice === 'Open File' && location) await revealPosition({ file: location.file, line: location.line ?? 1, ...(location.column ? { column: location.column } : {}) });
}

/** Opens the file with the cursor on the position (1-based line and column). */
export async function revealPosition(position: SourcePosition): Promise<vscode.TextEditor> {
  const at = new vscode.Position(Math.max(0, position.line - 1), Math.max(0, (position.column ?? 1) - 1));
  return vscode.window.showTextDocument(vscode.Uri.file(position.file), { selection: new vscode.Range(at, at) });
}
