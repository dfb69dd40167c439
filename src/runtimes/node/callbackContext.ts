// callback / succeed / fail / done for one invocation, with callbackWaitsForEmptyEventLoop semantics; runs inside an instance.
import { beforeExitListener } from './beforeExitListener';
import { logError } from './logPatch';
import type { RuntimeClient } from './runtimeClient';
import { serializeResponse } from './runtimeClient';

export interface CallbackContext {
  callbackWaitsForEmptyEventLoop: boolean;
  succeed(result?: unknown): void;
  fail(error?: unknown): void;
  done(error?: unknown, result?: unknown): void;
}

export type HandlerCallback = (error?: unknown, result?: unknown) => void;

export interface CallbackParts {
  callback: HandlerCallback;
  context: CallbackContext;
  /** Marks the invocation as answered by someone else (the default exit listener). */
  markCompleted(): void;
}

/**
 * Only the first of callback/succeed/fail/done counts. With callbackWaitsForEmptyEventLoop (the default) a callback
 * result is posted when the event loop is empty ('beforeExit'); succeed/fail/done and errors are posted at once.
 */
export function buildCallbackContext(client: RuntimeClient, requestId: string, scheduleNext: () => void): CallbackParts {
  let completed = false;
  let waitForEmptyEventLoop = true;

  const postError = (error: unknown): void => {
    logError('Invoke Error', error);
    client.postError(requestId, error, scheduleNext);
  };
  const complete = (result: unknown): void => {
    if (completed) {
      console.error('Invocation has already been reported as done. Cannot call complete more than once per invocation.');
      return;
    }
    completed = true;
    client.postResponse(requestId, serializeResponse(result), scheduleNext);
  };
  const callback: HandlerCallback = (error, result) => {
    beforeExitListener.reset();
    if (error !== undefined && error !== null) {
      postError(error);
    } else if (!waitForEmptyEventLoop) {
      complete(result);
    } else {
      beforeExitListener.set(() => setImmediate(() => complete(result)));
    }
  };
  const done = (error?: unknown, result?: unknown): void => {
    beforeExitListener.reset();
    if (error !== undefined && error !== null) postError(error);
    else complete(result);
  };

  // A call that throws (an unserialisable result) does not count, so the failure can still be reported.
  let finished = false;
  const firstCallOnly = <A extends unknown[]>(action: (...args: A) => void) => (...args: A): void => {
    if (finished) return;
    action(...args);
    finished = true;
  };

  const context: CallbackContext = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value: boolean) {
      waitForEmptyEventLoop = value;
    },
    succeed: firstCallOnly((result?: unknown) => done(null, result)),
    fail: firstCallOnly((error?: unknown) => (error === undefined || error === null ? done('handled') : done(error, null))),
    done: firstCallOnly(done),
  };
  return { callback: firstCallOnly(callback), context, markCompleted: () => { completed = true; } };
}
