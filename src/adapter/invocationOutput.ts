// Turns one invocation (its log lines and its result) into DAP output events, grouped per invocation.
import { OutputEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { LogRecord } from '../core/logs/logRecord';
import type { InvokeResult } from '../core/service/invocation';

function output(text: string, category: 'console' | 'stdout' | 'stderr', group?: 'start' | 'end'): OutputEvent {
  const event = new OutputEvent(text, category);
  if (group) (event as DebugProtocol.OutputEvent).body.group = group;
  return event;
}

/** Opens the collapsible group that the invocation's lines go into. */
export function invocationStarted(functionName: string, payload: Buffer): OutputEvent {
  const preview = payload.length > 80 ? `${payload.subarray(0, 77).toString()}...` : payload.toString();
  return output(`Invoke ${functionName} ${preview}\n`, 'console', 'start');
}

/** One CloudWatch-style line: platform lines (START, END, REPORT) on the console, the function's own on stdout. */
export function logLine(record: LogRecord): OutputEvent {
  return output(`${record.text}\n`, record.source === 'platform' ? 'console' : 'stdout');
}

/** The response (or the error body) and the end of the group. */
export function invocationEnded(result: InvokeResult): OutputEvent[] {
  const body = result.payload.toString();
  const line = result.functionError
    ? output(`Error (${result.errorType ?? 'Unhandled'}): ${body}\n`, 'stderr')
    : output(`Response: ${body}\n`, 'stdout');
  return [line, output('', 'console', 'end')];
}

/** An invocation that never ran (bad event, unknown function, throttled): the message and the end of the group. */
export function invocationFailed(message: string): OutputEvent[] {
  return [output(`${message}\n`, 'stderr'), output('', 'console', 'end')];
}

/** A session-level message (hot reload outcome, attach problem), outside any invocation group. */
export function sessionMessage(message: string, failed: boolean): OutputEvent {
  return output(`${message}\n`, failed ? 'stderr' : 'console');
}
