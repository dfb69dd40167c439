// Log records as people read them: Lambda's text-format error record ("Invoke Error" / "Uncaught Exception" followed by
// the error as one JSON object) becomes the error type and message, then the stack one frame a line; records the runtime
// joined with \r (multi-line messages, Python tracebacks) become one line each. The records themselves stay as AWS writes them.

/** `<timestamp>\t<requestId>\tERROR\tInvoke Error \t{...}`, as the Node.js runtime logs an error in the Text format. */
const NODE_ERROR_RECORD = /^([^\t]*\t[^\t]*\t(?:ERROR|FATAL)\t)(Invoke Error|Uncaught Exception) \t(\{.*\})$/s;
/** Node stack lines that are frames, as opposed to the message lines before them. */
const NODE_FRAME_LINE = /^\s+at /;

interface SerializedError {
  errorType?: unknown;
  errorMessage?: unknown;
  stack?: unknown;
}

export function readableLines(text: string): string[] {
  return expandNodeError(text) ?? text.split('\r');
}

function expandNodeError(text: string): string[] | undefined {
  const match = NODE_ERROR_RECORD.exec(text);
  if (!match) return undefined;
  const [, prefix, label, json] = match;
  let error: SerializedError;
  try {
    error = JSON.parse(json) as SerializedError;
  } catch {
    return undefined; // Not the runtime's JSON after all: shown as written.
  }
  if (typeof error !== 'object' || error === null) return undefined;
  const type = typeof error.errorType === 'string' ? error.errorType : 'Error';
  const message = typeof error.errorMessage === 'string' ? error.errorMessage : '';
  const stack = Array.isArray(error.stack) ? error.stack.filter((line): line is string => typeof line === 'string') : [];
  const [firstLine, ...moreLines] = `${type}: ${message}`.split('\n');
  return [`${prefix}${label} \t${firstLine}`, ...moreLines, ...stack.filter((line) => NODE_FRAME_LINE.test(line))];
}
