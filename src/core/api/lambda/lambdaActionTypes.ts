// The shapes shared by the Lambda API's action handlers: what a handler gets and what it answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FunctionStore } from '../../functions/functionStore';
import type { EventSources } from '../../service/eventSources/eventSources';
import type { InvokeRequest, InvokeResult } from '../../service/invocation';
import type { AccountContext } from '../functionConfiguration';
import type { LocalCodeRoot } from './localCodePaths';

/** What the Lambda API needs from the engine. */
export interface LambdaApiService {
  invoke(request: InvokeRequest): Promise<InvokeResult>;
  /** The control plane, once the saved state is restored. */
  functionStore(): Promise<FunctionStore>;
  /** Initialises `count` provisioned environments of a published version; resolves with how many initialised. */
  provision(functionName: string, version: string, count: number): Promise<number>;
  /** Stops a version's environments. */
  deprovision(functionName: string, version: string): Promise<void>;
}

export interface LambdaApiContext {
  service: LambdaApiService;
  account: AccountContext;
  /** The account's concurrency limit (ConcurrentExecutions of GetAccountSettings). */
  concurrentExecutions: number;
  /** The queue and stream pollers event source mappings run on, while they run. */
  eventSources?: () => EventSources | undefined;
  /** The folders a local code path (S3Bucket "hot-reload" + S3Key) may be in: the project root and the state directory. */
  localCodeRoots: readonly LocalCodeRoot[];
}

export interface ActionCall {
  /** The validated input, member names as in the model (FunctionName, Qualifier, ...). */
  input: Record<string, unknown>;
  context: LambdaApiContext;
  store: FunctionStore;
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
}

/** A JSON answer; status defaults to the operation's success code. Handlers that write the response themselves return nothing. */
export interface ActionReply {
  status?: number;
  body?: unknown;
}

export type LambdaAction = (call: ActionCall) => Promise<ActionReply | void>;
