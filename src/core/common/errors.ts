// Errors with stable codes: every front end maps a code to its own presentation (exit code, DAP error, notification).

/** Stable error codes; front ends switch on these, never on message text. */
export type ErrorCode =
  | 'USAGE'
  | 'TEMPLATE_NOT_FOUND'
  | 'TEMPLATE_PARSE'
  | 'TEMPLATE_INVALID'
  | 'FUNCTION_NOT_FOUND'
  | 'EVENT_INVALID'
  | 'BUILD_FAILED'
  | 'PACKAGE_INVALID'
  | 'RUNTIME_UNSUPPORTED'
  | 'HANDLER_INVALID'
  | 'DOCKER_UNAVAILABLE'
  | 'IMAGE_UNAVAILABLE'
  | 'PORT_IN_USE'
  | 'INSTANCE_FAILED'
  | 'EVENT_SOURCE_NOT_FOUND'
  | 'CANCELLED'
  | 'STATE_INVALID'
  | 'LAYER_NOT_FOUND'
  | 'DATA_INVALID';

/** Where in a user file a problem is. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

/** A replacement of the text between two positions of a user file that resolves a problem (an editor's quick fix). */
export interface SourceEdit {
  /** What the edit does, in the editor's words ("Change MemorySize to 10240"). */
  title: string;
  file: string;
  /** 1-based, the end exclusive. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  newText: string;
}

export class WorkbenchError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { location?: SourceLocation; hint?: string; cause?: unknown; fix?: SourceEdit } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'WorkbenchError';
  }

  /** One line for terminals and notifications: "file:line:col: message (hint)". */
  describe(): string {
    const loc = this.options.location;
    const where = loc ? `${loc.file}${loc.line ? `:${loc.line}${loc.column ? `:${loc.column}` : ''}` : ''}: ` : '';
    return `${where}${this.message}${this.options.hint ? ` ${this.options.hint}` : ''}`;
  }
}

export function isWorkbenchError(value: unknown, code?: ErrorCode): value is WorkbenchError {
  return value instanceof WorkbenchError && (code === undefined || value.code === code);
}

/** A message for any thrown value. */
export function errorMessage(value: unknown): string {
  if (value instanceof WorkbenchError) return value.describe();
  if (value instanceof Error) return value.message;
  return String(value);
}
