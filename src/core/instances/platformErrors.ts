// Error payloads the platform itself produces (timeouts, crashes, out of memory), worded as AWS records them (contract §1.6).
import type { ExitInfo } from './backend';

export interface PlatformError {
  errorType: string;
  errorMessage: string;
}

export function timeoutError(requestId: string, timeoutSeconds: number): PlatformError {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
  };
}

/** The error for a runtime that ended while it owed a result. */
export function exitError(requestId: string | undefined, exit: ExitInfo): PlatformError {
  const prefix = requestId ? `RequestId: ${requestId} Error: ` : '';
  if (exit.outOfMemory) {
    return { errorType: 'Runtime.OutOfMemory', errorMessage: `${prefix}Runtime exited with error: signal: killed` };
  }
  if (exit.signal) {
    return { errorType: 'Runtime.ExitError', errorMessage: `${prefix}Runtime exited with error: signal: ${signalName(exit.signal)}` };
  }
  if (exit.code === 0 || exit.code === null) {
    return { errorType: 'Runtime.ExitError', errorMessage: `${prefix}Runtime exited without providing a reason` };
  }
  return { errorType: 'Runtime.ExitError', errorMessage: `${prefix}Runtime exited with error: exit status ${exit.code}` };
}

/** Go's names for signals, as the Lambda platform prints them ("signal: killed", "signal: aborted"). */
function signalName(signal: string): string {
  const names: Record<string, string> = {
    SIGKILL: 'killed', SIGABRT: 'aborted', SIGSEGV: 'segmentation fault', SIGTERM: 'terminated', SIGINT: 'interrupt',
    SIGBUS: 'bus error', SIGILL: 'illegal instruction', SIGFPE: 'floating point exception',
  };
  return names[signal] ?? signal;
}

export function errorBody(error: PlatformError): Buffer {
  return Buffer.from(JSON.stringify(error));
}
