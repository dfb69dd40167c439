// Replaces console.* with Lambda's log line formats (Text or JSON) and level filter; runs inside an instance.
import { format } from 'node:util';
import { intoError, toFormatted } from './errors';

interface Level {
  readonly name: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';
  readonly priority: number;
}

const LEVELS: Record<string, Level> = {
  TRACE: { name: 'TRACE', priority: 1 },
  DEBUG: { name: 'DEBUG', priority: 2 },
  INFO: { name: 'INFO', priority: 3 },
  WARN: { name: 'WARN', priority: 4 },
  ERROR: { name: 'ERROR', priority: 5 },
  FATAL: { name: 'FATAL', priority: 6 },
};

/** Global symbols, as the AWS runtime uses, so libraries reading them keep working. */
const REQUEST_ID = Symbol.for('aws.lambda.runtime.requestId');
const TENANT_ID = Symbol.for('aws.lambda.runtime.tenantId');
const globals = globalThis as unknown as Record<symbol, string | undefined>;

export function setCurrentRequestId(requestId: string): void {
  globals[REQUEST_ID] = requestId;
}

export function setCurrentTenantId(tenantId: string | undefined): void {
  globals[TENANT_ID] = tenantId;
}

type LogLine = (level: Level, params: unknown[]) => string;

/** `${ISO}\t${requestId}\t${LEVEL}\t${util.format(...)}`; before the first invoke the request id prints as "undefined". */
const textLine: LogLine = (level, params) =>
  `${new Date().toISOString()}\t${globals[REQUEST_ID]}\t${level.name}\t${format(...params)}`;

function jsonErrorReplacer(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return Object.assign({
    errorType: value.constructor?.name ?? 'UnknownError',
    errorMessage: value.message,
    stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack,
  }, value);
}

const jsonLine: LogLine = (level, params) => {
  const record: Record<string, unknown> = { timestamp: new Date().toISOString(), level: level.name, requestId: globals[REQUEST_ID] };
  const tenantId = globals[TENANT_ID];
  if (tenantId != null) record.tenantId = tenantId;
  if (params.length === 1) {
    record.message = params[0];
    try {
      return JSON.stringify(record, jsonErrorReplacer);
    } catch {
      record.message = format(params[0]);
      return JSON.stringify(record);
    }
  }
  record.message = format(...params);
  const error = params.find((param): param is Error => param instanceof Error);
  if (error !== undefined) {
    record.errorType = error.constructor?.name ?? 'UnknownError';
    record.errorMessage = error.message;
    record.stackTrace = typeof error.stack === 'string' ? error.stack.split('\n') : [];
  }
  return JSON.stringify(record);
};

const NEWLINES = /\n/g;

/** Logs an error the way the runtime does for "Invoke Error" and "Uncaught Exception". */
export let logError: (message: string, error: unknown) => void = (message, error) => console.error(message, error);

/** Patches console once, at startup, from AWS_LAMBDA_LOG_FORMAT and AWS_LAMBDA_LOG_LEVEL (both case-insensitive). */
export function patchConsole(env: NodeJS.ProcessEnv): void {
  const json = env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON';
  const line = json ? jsonLine : textLine;
  const threshold = LEVELS[env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase() ?? ''] ?? LEVELS.TRACE;
  const noop = (): void => undefined;
  // Output is written synchronously (stdout is a pipe): each line reaches the engine before the result is posted.
  const writer = (level: Level) => level.priority >= threshold.priority || level === LEVELS.FATAL
    ? (...params: unknown[]): void => void process.stdout.write(line(level, params).replace(NEWLINES, '\r') + '\n')
    : noop;
  const target = console as unknown as Record<string, unknown>;
  target.trace = writer(LEVELS.TRACE);
  target.debug = writer(LEVELS.DEBUG);
  target.info = writer(LEVELS.INFO);
  target.log = target.info;
  target.warn = writer(LEVELS.WARN);
  target.error = writer(LEVELS.ERROR);
  target.fatal = writer(LEVELS.FATAL);
  logError = json
    ? (_message, error) => console.error(intoError(error))
    : (message, error) => console.error(message, toFormatted(intoError(error)));
}
