// The adapter's custom DAP messages, shared by the adapter and the extension: names and body types.

/** Event: a new instance is listening for a language debugger; the body is an AttachTarget. */
export const ATTACH_EVENT = 'lambdaWorkbench.attach';

/** Event: an invocation started (its first log line); the body is an InvocationStartedBody. */
export const INVOCATION_EVENT = 'lambdaWorkbench.invocation';

export interface InvocationStartedBody {
  functionName: string;
  requestId: string;
}

/** Event: an invocation ended with a response or a function error; the body is an InvocationResultBody. */
export const RESULT_EVENT = 'lambdaWorkbench.result';

export interface InvocationResultBody extends InvokeResponseBody {
  functionName: string;
  /** The event the function was invoked with (text). */
  event: string;
  /** The invocation's own log lines (CloudWatch form), for the Test Explorer's checks. */
  logs: string[];
}

/** Request: invoke the function again, with `{ event }`, `{ eventFile }`, or (neither) the launch event. */
export const INVOKE_REQUEST = 'invoke';

/** Request: the language debugger paused or resumed the handler; the Lambda clock follows. */
export const DEADLINE_REQUEST = 'lambdaWorkbench.setDeadlinePaused';

export interface InvokeArguments {
  event?: unknown;
  eventFile?: string;
}

export interface InvokeResponseBody {
  requestId: string;
  statusCode: number;
  /** The response (or error body) as text. */
  payload: string;
  functionError?: 'Unhandled';
  errorType?: string;
  durationMs?: number;
}

export interface DeadlineArguments {
  paused: boolean;
}
