// The invoke loop of the Node runtime: /next, call the handler, post the result, repeat; runs inside an instance.
import { beforeExitListener } from './beforeExitListener';
import { buildCallbackContext } from './callbackContext';
import { intoError, NodeJsExit, toFormatted } from './errors';
import type { HandlerCall } from './handlerCall';
import type { HandlerMetadata, UserHandler } from './handlerLoader';
import { attachInvocationData, beginInvocation } from './invokeContext';
import { logError } from './logPatch';
import type { RuntimeClient } from './runtimeClient';

/** What happens to an error nobody caught: during init it goes to /init/error, during an invoke to its /error. */
export interface ErrorCallbacks {
  uncaughtException(error: unknown): void;
  unhandledRejection(error: unknown): void;
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

export class Runtime {
  private readonly handleOnce: () => Promise<void>;
  private readonly scheduleNext = (): void => this.scheduleIteration();

  constructor(
    private readonly client: RuntimeClient,
    private readonly handler: UserHandler,
    private readonly metadata: HandlerMetadata,
    private readonly errorCallbacks: ErrorCallbacks,
    private readonly callHandler: HandlerCall,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.handleOnce = metadata.streaming ? () => this.handleOnceStreaming() : () => this.handleOnceBuffered();
  }

  /** Starts the next iteration on the next turn of the event loop. */
  scheduleIteration(): void {
    setImmediate(() => {
      this.handleOnce().catch((error: unknown) => {
        console.log(`Unexpected Top Level Error: ${String(error)}`);
        this.errorCallbacks.uncaughtException(error);
      });
    });
  }

  private async handleOnceBuffered(): Promise<void> {
    const { body, headers } = await this.client.next();
    const invocation = beginInvocation(headers);
    const { callback, context, markCompleted } = buildCallbackContext(this.client, invocation.requestId, this.scheduleNext);
    try {
      this.setErrorCallbacks(invocation.requestId);
      this.setDefaultExitListener(invocation.requestId, markCompleted);
      const result = this.callHandler(this.handler, JSON.parse(body), attachInvocationData(context, invocation, this.env), callback);
      if (isPromise(result)) result.then(context.succeed, context.fail).catch(context.fail);
    } catch (error) {
      callback(error);
    }
  }

  private async handleOnceStreaming(): Promise<void> {
    const { body, headers } = await this.client.next();
    const invocation = beginInvocation(headers);
    const requestId = invocation.requestId;
    let waitForEmptyEventLoop = true;
    const context = {
      get callbackWaitsForEmptyEventLoop() {
        return waitForEmptyEventLoop;
      },
      set callbackWaitsForEmptyEventLoop(value: boolean) {
        waitForEmptyEventLoop = value;
      },
    };
    const scheduleNext = (): void => {
      beforeExitListener.reset();
      if (!waitForEmptyEventLoop) this.scheduleIteration();
      else beforeExitListener.set(() => setImmediate(this.scheduleNext));
    };
    const { stream, fail, answered } = this.client.streamResponse(requestId);
    const failInvocation = (error: unknown): void => {
      console.error('Invoke Error', toFormatted(intoError(error)));
      fail(error, scheduleNext);
    };
    try {
      this.setErrorCallbacks(requestId);
      beforeExitListener.set(this.scheduleNext);
      const result = this.callHandler(this.handler, JSON.parse(body), stream, attachInvocationData(context, invocation, this.env));
      if (!isPromise(result)) {
        failInvocation('Streaming does not support non-async handlers.');
        return;
      }
      if ((await result) !== undefined) console.warn('Streaming handlers ignore return values.');
      if (stream.writableEnded) await answered;
      if (!stream.writableFinished) {
        failInvocation('Response stream is not finished.');
        return;
      }
      scheduleNext();
    } catch (error) {
      failInvocation(error);
    }
  }

  private setErrorCallbacks(requestId: string): void {
    this.errorCallbacks.uncaughtException = (error) => this.client.postError(requestId, error, () => process.exit(129));
    this.errorCallbacks.unhandledRejection = (error) => this.client.postError(requestId, error, () => process.exit(128));
  }

  /**
   * The handler never answered and the event loop ran dry: an async handler's promise never settled
   * (Runtime.NodeJsExit); a callback handler that never called back succeeds with null.
   */
  private setDefaultExitListener(requestId: string, markCompleted: () => void): void {
    beforeExitListener.set(() => {
      markCompleted();
      if (this.metadata.isAsync) {
        const error = new NodeJsExit();
        logError('Invoke Error', error);
        this.client.postError(requestId, error, this.scheduleNext);
      } else {
        this.client.postResponse(requestId, 'null', this.scheduleNext);
      }
    });
  }
}
