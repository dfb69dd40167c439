// Shows a failed action to the user: the error's one-line description, with a button to the file it points at.
import * as vscode from 'vscode';
import { errorMessage, isWorkbenchError } from '../../core/common/errors';
import { ServiceError } from '../../core/service/invocation';

/** One line: Lambda API errors with their exception name, Workbench errors with their location and hint. */
export function describeError(error: unknown): string {
  return error instanceof ServiceError ? `${error.code}: ${error.message}` : errorMessage(error);
}

export async function reportError(action: string, error: unknown): Promise<void> {
  const message = describeError(error);
  const location = isWorkbenchError(error) ? error.options.location : undefined;
  const choice = await vscode.window.showErrorMessage(`${action} failed: ${message}`, ...(location ? ['Open File'] : []));
  if (choice && location) {
    const position = new vscode.Position(Math.max(0, (location.line ?? 1) - 1), Math.max(0, (location.column ?? 1) - 1));
    await vscode.window.showTextDocument(vscode.Uri.file(location.file), { selection: new vscode.Range(position, position) });
  }
}
