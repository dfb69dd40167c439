// Extension host: a debug session's invocation results go where Invoke Function puts them (response editor, log channel).
import * as vscode from 'vscode';
import { RESULT_EVENT, type InvocationResultBody } from '../../adapter/customMessages';
import { DEBUG_TYPE } from '../../shared/launchConfig';
import type { ResultDocuments } from '../invoke/resultDocuments';
import type { LogChannel } from '../logs/logChannel';

export function registerDebugResults(results: ResultDocuments, logs: LogChannel): vscode.Disposable {
  return vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
    if (event.session.type !== DEBUG_TYPE || event.event !== RESULT_EVENT) return;
    const result = event.body as InvocationResultBody;
    logs.note(
      result.functionError
        ? `[${result.functionName}] Error (${result.errorType ?? 'Unhandled'}) of ${result.requestId}: ${result.payload}`
        : `[${result.functionName}] Response of ${result.requestId}: ${result.payload}`,
    );
    void results.show({
      functionName: result.functionName,
      event: Buffer.from(result.event),
      response: Buffer.from(result.payload),
      failed: result.functionError !== undefined,
    });
  });
}
