// Calls the user's handler, optionally pausing in the debugger right before the first call; runs inside an instance.
import type { UserHandler } from './handlerLoader';

export type HandlerCall = (handler: UserHandler, event: unknown, second: unknown, third: unknown) => unknown;

const plainCall: HandlerCall = (handler, event, second, third) => handler(event, second, third);

/**
 * With `breakOnFirstCall` (BREAK_ON_HANDLER_ENV is "1", set by the engine for debug sessions) the first invocation
 * runs a `debugger` statement right before the handler. When the inspector (node --inspect) has a client attached,
 * it pauses there; the user steps into (F11) the next line to land on the first line of the handler. Without an
 * attached client the statement does nothing. Later invocations call the handler directly.
 */
export function createHandlerCall(breakOnFirstCall: boolean): HandlerCall {
  if (!breakOnFirstCall) return plainCall;
  let firstCall = true;
  return (handler, event, second, third) => {
    if (!firstCall) return handler(event, second, third);
    firstCall = false;
    return stopBeforeHandler(handler, event, second, third);
  };
}

function stopBeforeHandler(handler: UserHandler, event: unknown, second: unknown, third: unknown): unknown {
  // eslint-disable-next-line no-debugger -- the deliberate stop of debug sessions: step into the next line.
  debugger;
  return handler(event, second, third);
}
