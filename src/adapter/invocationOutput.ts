// Turns one invocation (its log lines and its result) into DAP output events for the Debug Console.
import { OutputEvent } from '@vscode/debugadapter';
import type { LogRecord } from '../core/logs/logRecord';
import type { InvokeResult } from '../core/service/invocation';

/*
 * No output groups: VS Code's Debug Console stops rendering the lines added to an open group once it switches to the
 * child (js-debug / debugpy) session that hit a breakpoint, so after Continue the response, END and REPORT stayed
 * invisible until the session ended. Every line is therefore a top-level line.
 */
function output(text: string, category: 'console' | 'stdout' | 'stderr'): OutputEvent {
  return new OutputEvent(text, category);
}

/** The line that opens an invocation: the function and a preview of the event. */
export function invocationStarted(functionName: string, payload: Buffer): OutputEvent {
  const preview = payload.length > 80 ? `${payload.subarray(0, 77).toString()}...` : payload.toString();
  return output(`Invoke ${functionName} ${preview.replace(/\s*\n\s*/g, ' ')}\n`, 'console');
}

/** One CloudWatch-style line: platform lines (START, END, REPORT) on the console, the function's own on stdout. */
export function logLine(record: LogRecord): OutputEvent {
  return output(`${record.text}\n`, record.source === 'platform' ? 'console' : 'stdout');
}

/** The response, or the error body of a failed invocation. */
export function invocationEnded(result: InvokeResult): OutputEvent[] {
  const body = result.payload.toString();
  return [
    result.functionError
      ? output(`Error (${result.errorType ?? 'Unhandled'}): ${body}\n`, 'stderr')
      : output(`Response: ${body}\n`, 'stdout'),
  ];
}

/** An invocation that never ran (bad event, unknown function, throttled): the message. */
export function invocationFailed(message: string): OutputEvent[] {
  return [output(`${message}\n`, 'stderr')];
}

/** A session-level message (hot reload outcome, attach problem). */
export function sessionMessage(message: string, failed: boolean): OutputEvent {
  return output(`${message}\n`, failed ? 'stderr' : 'console');
}
