// Runtime.* error classes and the error serialisations of the AWS Node runtime client (v3); runs inside an instance.
import { types } from 'node:util';

/** The body posted to /error and /init/error: Node uses `trace`, not `stackTrace`. */
export interface RapidErrorBody {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

function named<T extends new (...args: never[]) => Error>(errorClass: T, name: string): T {
  Object.defineProperty(errorClass.prototype, 'name', { value: name, writable: true, configurable: true });
  return errorClass;
}

export const ImportModuleError = named(class ImportModuleError extends Error {}, 'Runtime.ImportModuleError');
export const HandlerNotFound = named(class HandlerNotFound extends Error {}, 'Runtime.HandlerNotFound');
export const MalformedHandlerName = named(class MalformedHandlerName extends Error {}, 'Runtime.MalformedHandlerName');
export const UserCodeSyntaxError = named(class UserCodeSyntaxError extends Error {}, 'Runtime.UserCodeSyntaxError');
export const MalformedStreamingHandler = named(class MalformedStreamingHandler extends Error {}, 'Runtime.MalformedStreamingHandler');
export const InvalidStreamingOperation = named(class InvalidStreamingOperation extends Error {}, 'Runtime.InvalidStreamingOperation');

export const NodeJsExit = named(class NodeJsExit extends Error {
  constructor() {
    super('The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise ' +
      'that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes');
  }
}, 'Runtime.NodeJsExit');

export const UnhandledPromiseRejection = named(class UnhandledPromiseRejection extends Error {
  constructor(readonly reason: unknown, readonly promise: Promise<unknown>) {
    super(reason === undefined ? undefined : String(reason));
  }
}, 'Runtime.UnhandledPromiseRejection');

/** Wraps a load failure (`new Error(err)` in the RIC: the message is String(err)). */
export function wrapped<T extends Error>(errorClass: new (message: string) => T, cause: unknown): T {
  return new errorClass(String(cause));
}

function looksLikeError(value: unknown): value is Error {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.name === 'string' && candidate.name !== '' &&
    typeof candidate.message === 'string' && candidate.message !== '' &&
    typeof candidate.stack === 'string' && candidate.stack !== '';
}

export function intoError(value: unknown): Error {
  return value instanceof Error ? value : new Error(value as string);
}

/** What the runtime posts for a thrown value; never throws. */
export function toRapidResponse(error: unknown): RapidErrorBody {
  try {
    if (types.isNativeError(error) || looksLikeError(error)) {
      return {
        errorType: error.name?.replaceAll('\x7F', '%7F'),
        errorMessage: error.message?.replaceAll('\x7F', '%7F'),
        trace: (error.stack as string).replaceAll('\x7F', '%7F').split('\n'),
      };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

/** The text-format error log suffix: a tab, then the error as JSON with its name, message, code and stack lines. */
export function toFormatted(error: unknown): string {
  try {
    return '\t' + JSON.stringify(error, (_key, value: unknown) => withEnumerableProperties(value));
  } catch {
    return '\t' + JSON.stringify(toRapidResponse(error));
  }
}

function withEnumerableProperties(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const result: Record<string, unknown> = Object.assign(
    { errorType: value.name, errorMessage: value.message, code: (value as NodeJS.ErrnoException).code },
    value as object,
  );
  if (typeof value.stack === 'string') result.stack = value.stack.split('\n');
  return result;
}
