// The request and result of one invocation through the service: the shape every front end uses.
import type { LogRecord } from '../logs/logRecord';

export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

export interface InvokeRequest {
  /** Function name, `name:qualifier`, or a full or partial ARN. */
  functionName: string;
  /** $LATEST, a version number or an alias name. */
  qualifier?: string;
  /** The event bytes (JSON text for every managed runtime). */
  payload: Buffer;
  invocationType?: InvocationType;
  /** Tail: the result carries the last 4 KB of the invocation's log, base64. */
  logType?: 'None' | 'Tail';
  /** Base64 of a JSON client context (X-Amz-Client-Context). */
  clientContext?: string;
  traceId?: string;
  tenantId?: string;
  /** Receives this invocation's log lines (in addition to the service-wide sink), as they happen. */
  onLog?: (record: LogRecord) => void;
  /** Receives streamed response chunks, for RESPONSE_STREAM function URLs and InvokeWithResponseStream. */
  onResponseChunk?: (chunk: Buffer) => void;
  /** Called once an environment has been acquired, before the event is handed over: the version that runs is known. */
  onStart?: (executedVersion: string) => void;
  /** The request id to run under (a function URL names it in its response before the function returns); new when unset. */
  requestId?: string;
}

export interface InvokeResult {
  statusCode: 200 | 202 | 204;
  requestId: string;
  /** Exactly the bytes Lambda would return (empty for Event and DryRun). */
  payload: Buffer;
  contentType?: string;
  /** Set when the function failed: Lambda always reports "Unhandled". */
  functionError?: 'Unhandled';
  /** The Lambda error type (Runtime.ImportModuleError, Sandbox.Timedout, Error, ...), for display. */
  errorType?: string;
  executedVersion: string;
  /** Base64 of the last 4 KB of the log, when logType was Tail. */
  logResult?: string;
  durationMs?: number;
  billedDurationMs?: number;
  maxMemoryUsedMB?: number;
  initDurationMs?: number;
}

/** Lambda API errors, with the HTTP status and the exception name the AWS SDK expects. */
export type ServiceErrorCode =
  | 'ResourceNotFoundException'
  | 'TooManyRequestsException'
  | 'InvalidParameterValueException'
  | 'ValidationException'
  | 'InvalidRequestContentException'
  | 'RequestTooLargeException'
  | 'UnsupportedMediaTypeException'
  | 'ResourceConflictException'
  | 'PreconditionFailedException'
  | 'ProvisionedConcurrencyConfigNotFoundException'
  | 'ResourceNotReadyException'
  | 'ServiceException';

const STATUS: Record<ServiceErrorCode, number> = {
  ResourceNotFoundException: 404,
  TooManyRequestsException: 429,
  InvalidParameterValueException: 400,
  ValidationException: 400,
  InvalidRequestContentException: 400,
  RequestTooLargeException: 413,
  UnsupportedMediaTypeException: 415,
  ResourceConflictException: 409,
  PreconditionFailedException: 412,
  ProvisionedConcurrencyConfigNotFoundException: 404,
  ResourceNotReadyException: 502,
  ServiceException: 500,
};

export class ServiceError extends Error {
  readonly httpStatus: number;

  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    /** Extra fields of the error body, e.g. Reason for throttles. */
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
    this.name = code;
    this.httpStatus = STATUS[code];
  }
}

/**
 * Lambda's answer to invoking a function in the Failed state: 409 ResourceConflictException, a client error the SDKs do
 * not retry. The reason (a StateReasonCode and its sentence) is part of the message and of the body.
 */
export function functionFailedError(reasonCode: string, reason: string): ServiceError {
  return new ServiceError(
    'ResourceConflictException',
    `The operation cannot be performed at this time. The function is currently in the following state: Failed. ${reasonCode}: ${reason}`,
    { Type: 'User', StateReasonCode: reasonCode, StateReason: reason },
  );
}
