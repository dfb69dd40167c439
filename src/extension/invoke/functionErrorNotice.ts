// The notification of a failed invocation: Lambda's error type and message, with "Show Logs" and "Go to Error"
// (the innermost frame of the function's own code).
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { InvokeResult } from '../../core/service/invocation';
import type { FunctionSpec } from '../../core/template/functionSpec';
import type { LogChannel } from '../logs/logChannel';
import { errorResponseFrames, topUserFrame } from '../logs/stackTraceMapper';
import { revealPosition } from '../platform/errorReporting';

export async function showFunctionError(logs: LogChannel, spec: FunctionSpec, result: InvokeResult): Promise<void> {
  const frame = topUserFrame(errorResponseFrames(result.payload.toString('utf8')), spec, existsSync);
  const choice = await vscode.window.showErrorMessage(
    `${spec.functionName} failed with ${describeFunctionError(result)}`,
    'Show Logs',
    ...(frame ? ['Go to Error'] : []),
  );
  if (choice === 'Show Logs') logs.show();
  if (choice === 'Go to Error' && frame) await revealPosition(frame);
}

/** "Runtime.ImportModuleError: Cannot find module 'app'", from the error payload Lambda returns. */
function describeFunctionError(result: InvokeResult): string {
  const text = result.payload.toString('utf8');
  let message = text;
  let type = result.errorType;
  try {
    const body = JSON.parse(text) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof body.errorMessage === 'string') message = body.errorMessage;
    if (typeof body.errorType === 'string') type ??= body.errorType;
  } catch {
    // Not JSON (e.g. a plain timeout message): the raw text is the message.
  }
  return `${type ?? 'Unhandled'}: ${message}`;
}
