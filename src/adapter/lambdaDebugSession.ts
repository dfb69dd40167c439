// The `lambda-workbench` debug adapter: launches a function with its debugger port open, streams its logs, re-invokes it (adapter side, no vscode).
import { Event, InitializedEvent, LoggingDebugSession, TerminatedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { errorMessage, isWorkbenchError, type ErrorCode } from '../core/common/errors';
import type { LogRecord } from '../core/logs/logRecord';
import { describeReload, type ReloadOutcome } from '../core/watch/hotReloader';
import type { InvokeResult } from '../core/service/invocation';
import type { AttachTarget } from './attachTarget';
import {
  ATTACH_EVENT,
  DEADLINE_REQUEST,
  INVOCATION_EVENT,
  INVOKE_REQUEST,
  RESULT_EVENT,
  type DeadlineArguments,
  type InvocationResultBody,
  type InvocationStartedBody,
  type InvokeArguments,
  type InvokeResponseBody,
} from './customMessages';
import { DebugEngine } from './debugEngine';
import { readApiPayload } from './apiLaunch';
import { readEventPayload } from './eventPayload';
import type { SharedServiceProvider } from './sharedService';
import { invocationEnded, invocationFailed, invocationStarted, isInspectorBanner, logLine, sessionMessage } from './invocationOutput';
import { validateLaunchArguments } from './launchArguments';

/** DAP error ids: stable numbers for the stable error codes (2000 + position). */
const ERROR_IDS: Partial<Record<ErrorCode, number>> = {
  USAGE: 2001,
  TEMPLATE_NOT_FOUND: 2002,
  TEMPLATE_PARSE: 2003,
  TEMPLATE_INVALID: 2004,
  FUNCTION_NOT_FOUND: 2005,
  EVENT_INVALID: 2006,
  BUILD_FAILED: 2007,
  RUNTIME_UNSUPPORTED: 2008,
  DOCKER_UNAVAILABLE: 2010,
  IMAGE_UNAVAILABLE: 2011,
};
const OTHER_ERROR_ID = 2099;

export class LambdaDebugSession extends LoggingDebugSession {
  private engine: DebugEngine | undefined;
  private launchPayload: Buffer | undefined;
  /** The request id of the invocation whose lines were forwarded last. */
  private lastRequestId: string | undefined;
  private markConfigured!: () => void;
  private readonly configured = new Promise<void>((resolve) => (this.markConfigured = resolve));

  /** `shared`: the host's service (inline in the extension host); without it the session runs its own (`--server`). */
  constructor(private readonly shared?: SharedServiceProvider) {
    super();
  }

  protected initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsTerminateRequest: true,
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.markConfigured();
    this.sendResponse(response);
  }

  protected async launchRequest(response: DebugProtocol.LaunchResponse, raw: DebugProtocol.LaunchRequestArguments): Promise<void> {
    try {
      const args = validateLaunchArguments((raw ?? {}) as Record<string, unknown>);
      this.launchPayload = (await readApiPayload(args)) ?? (await readEventPayload(args));
      this.engine = await DebugEngine.start(args, {
        onAttach: (target) => this.sendEvent(new Event(ATTACH_EVENT, target satisfies AttachTarget)),
        onAttachFailed: (message) => this.sendEvent(sessionMessage(message, true)),
        onReload: (outcome) => this.reportReload(outcome),
        onLog: (record) => this.forwardLog(record),
        onWarning: (message) => this.sendEvent(sessionMessage(message, true)),
      }, this.shared);
    } catch (error) {
      this.sendFailure(response, error);
      return;
    }
    this.sendResponse(response);
    // The first invocation waits for the client's breakpoints (configurationDone), never for a timer.
    await this.configured;
    if (this.launchPayload) await this.invoke(this.launchPayload).catch(() => undefined);
  }

  protected async customRequest(command: string, response: DebugProtocol.Response, args: unknown): Promise<void> {
    try {
      if (command === INVOKE_REQUEST) {
        response.body = await this.invokeRequest((args ?? {}) as InvokeArguments);
      } else if (command === DEADLINE_REQUEST) {
        this.engine?.setDeadlinePaused((args as DeadlineArguments).paused === true);
      } else {
        throw new Error(`Unknown request "${command}".`);
      }
      this.sendResponse(response);
    } catch (error) {
      this.sendFailure(response, error);
    }
  }

  private async invokeRequest(args: InvokeArguments): Promise<InvokeResponseBody> {
    const payload = (await readEventPayload(args)) ?? this.launchPayload ?? Buffer.from('{}');
    return responseBody(await this.invoke(payload));
  }

  protected async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.stopEngine();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected async disconnectRequest(
    response: DebugProtocol.DisconnectResponse,
    args: DebugProtocol.DisconnectArguments,
    request?: DebugProtocol.Request,
  ): Promise<void> {
    await this.stopEngine();
    // The base class sends the response and shuts the session down.
    super.disconnectRequest(response, args, request);
  }

  /** Also reached when the client goes away without disconnecting: instances must not outlive the session. */
  shutdown(): void {
    void this.stopEngine().finally(() => super.shutdown());
  }

  /** Inline in the extension host, VS Code disposes the adapter when the session ends. */
  dispose(): void {
    void this.stopEngine();
    super.dispose();
  }

  private async invoke(payload: Buffer): Promise<InvokeResult> {
    const engine = this.engine;
    if (!engine) throw new Error('The session has no running function (launch failed or the session ended).');
    this.sendEvent(invocationStarted(engine.functionName, payload));
    try {
      const logs: string[] = [];
      const result = await engine.invoke(payload, (record) => void logs.push(record.text));
      invocationEnded(result).forEach((event) => this.sendEvent(event));
      // The extension shows it in the response editor and the log channel, as after "Invoke Function"; the Test Explorer checks it.
      this.sendEvent(new Event(RESULT_EVENT, {
        functionName: engine.functionName,
        event: payload.toString('utf8'),
        logs,
        ...responseBody(result),
      } satisfies InvocationResultBody));
      return result;
    } catch (error) {
      invocationFailed(errorMessage(error)).forEach((event) => this.sendEvent(event));
      throw error;
    }
  }

  /** A line of the function to the Debug Console (inspector banners left out); a new request id is announced first. */
  private forwardLog(record: LogRecord): void {
    if (isInspectorBanner(record)) return;
    if (record.requestId !== undefined && record.requestId !== this.lastRequestId) {
      this.lastRequestId = record.requestId;
      this.sendEvent(new Event(INVOCATION_EVENT, { functionName: record.functionName, requestId: record.requestId } satisfies InvocationStartedBody));
    }
    this.sendEvent(logLine(record));
  }

  private reportReload(outcome: ReloadOutcome): void {
    this.sendEvent(sessionMessage(describeReload(outcome), !outcome.ok));
  }

  private async stopEngine(): Promise<void> {
    const engine = this.engine;
    this.engine = undefined;
    await engine?.dispose();
  }

  private sendFailure(response: DebugProtocol.Response, error: unknown): void {
    const id = (isWorkbenchError(error) && ERROR_IDS[error.code]) || OTHER_ERROR_ID;
    this.sendErrorResponse(response, { id, format: errorMessage(error), showUser: true });
  }
}

function responseBody(result: InvokeResult): InvokeResponseBody {
  return {
    requestId: result.requestId,
    statusCode: result.statusCode,
    payload: result.payload.toString(),
    functionError: result.functionError,
    errorType: result.errorType,
    durationMs: result.durationMs,
  };
}
