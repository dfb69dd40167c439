// Strict JSON parsing with positions through jsonc-parser (VS Code's own): a tree with offsets, or the first syntax error worded for people.
import { getNodeValue, parseTree, ParseErrorCode, printParseErrorCode, visit, type Node, type ParseOptions } from 'jsonc-parser';

export type JsonNode = Node;

/** A syntax error at a text offset. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/** Strict JSON (RFC 8259): no comments, no trailing commas, no empty document. */
const STRICT: ParseOptions = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

/** Parses strict JSON; throws JsonSyntaxError with the offset of the first problem. */
export function parseJsonTree(text: string): JsonNode {
  const firstError = findFirstSyntaxError(text);
  if (firstError) throw firstError;
  const tree = parseTree(text, [], STRICT);
  if (!tree) throw new JsonSyntaxError(`Expected a value but found ${describeAt(text, 0)}`, 0);
  return tree;
}

/** The first problem of `text` as strict JSON, worded for people, at its 1-based line and column; undefined when it is JSON. */
export function jsonSyntaxProblem(text: string): { message: string; line: number; column: number } | undefined {
  try {
    parseJsonTree(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return { message: error.message, ...positionAt(text, error.offset) };
  }
}

/** The plain value of a node (objects, arrays and scalars), for event type detection and schema validation. */
export function nodeValue(node: JsonNode): unknown {
  return getNodeValue(node);
}

/** Converts an offset into a 1-based line and column. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** jsonc-parser reports error codes; this words the first one (with the container it happened in) as a sentence. */
function findFirstSyntaxError(text: string): JsonSyntaxError | undefined {
  const containers: ('object' | 'array')[] = [];
  let first: JsonSyntaxError | undefined;
  visit(
    text,
    {
      onObjectBegin: () => void containers.push('object'),
      onObjectEnd: () => void containers.pop(),
      onArrayBegin: () => void containers.push('array'),
      onArrayEnd: () => void containers.pop(),
      onError: (code, offset) => {
        first ??= syntaxError(text, code, offset, containers[containers.length - 1]);
      },
    },
    STRICT,
  );
  return first;
}

function syntaxError(text: string, code: ParseErrorCode, offset: number, container: 'object' | 'array' | undefined): JsonSyntaxError {
  const found = describeAt(text, offset);
  const close = container === 'array' ? ']' : '}';
  const afterComma = previousSignificant(text, offset) === ',';
  const at = (message: string, where = offset) => new JsonSyntaxError(message, where);
  switch (code) {
    case ParseErrorCode.PropertyNameExpected:
    case ParseErrorCode.ValueExpected:
    case ParseErrorCode.InvalidSymbol:
      if (afterComma && (text[offset] === '}' || text[offset] === ']')) return at('Trailing comma is not allowed in JSON');
      if (text[offset] === "'" && !expectsPropertyName(text, offset, container)) return at('Strings must use double quotes');
      return expectsPropertyName(text, offset, container)
        ? at(`Expected a property name in double quotes but found ${found}`)
        : at(`Expected a value but found ${found}`);
    case ParseErrorCode.ColonExpected:
      return at(`Expected ':' after the property name but found ${found}`);
    case ParseErrorCode.CommaExpected:
    case ParseErrorCode.CloseBraceExpected:
    case ParseErrorCode.CloseBracketExpected:
      return at(`Expected ',' or '${code === ParseErrorCode.CloseBracketExpected ? ']' : code === ParseErrorCode.CloseBraceExpected ? '}' : close}' but found ${found}`);
    case ParseErrorCode.EndOfFileExpected:
      return at(`Unexpected ${found} after the end of the JSON value`);
    case ParseErrorCode.InvalidCommentToken:
      return at('Comments are not allowed in JSON');
    case ParseErrorCode.UnexpectedEndOfString:
      return at('Unterminated string');
    case ParseErrorCode.InvalidUnicode:
      return at('Invalid unicode escape in string', stringProblemAt(text, offset, /\\u(?![0-9a-fA-F]{4})/));
    case ParseErrorCode.InvalidEscapeCharacter: {
      const where = stringProblemAt(text, offset, /\\[^"\\/bfnrtu]/);
      return at(`Invalid escape sequence '\\${text[where + 1] ?? ''}' in string`, where);
    }
    case ParseErrorCode.InvalidCharacter:
      return at('Control character in string: escape it (\\n, \\t, ...)', controlCharacterAt(text, offset));
    default:
      return at(`${printParseErrorCode(code)} at ${found}`);
  }
}

/** The first character below U+0020 (which JSON strings must escape) in the string token starting at `tokenOffset`. */
function controlCharacterAt(text: string, tokenOffset: number): number {
  for (let i = tokenOffset + 1; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return i;
  return tokenOffset;
}

/** The first match of `problem` in the string token starting at `tokenOffset` (the token's start if none). */
function stringProblemAt(text: string, tokenOffset: number, problem: RegExp): number {
  const match = problem.exec(text.slice(tokenOffset + 1));
  return match ? tokenOffset + 1 + match.index : tokenOffset;
}

/** Inside an object, right after '{' or ',', a property name comes next. */
function expectsPropertyName(text: string, offset: number, container: 'object' | 'array' | undefined): boolean {
  const previous = previousSignificant(text, offset);
  return container === 'object' && (previous === '{' || previous === ',');
}

function previousSignificant(text: string, offset: number): string | undefined {
  for (let i = offset - 1; i >= 0; i--) {
    if (!/\s/.test(text[i])) return text[i];
  }
  return undefined;
}

function describeAt(text: string, at: number): string {
  return at >= text.length ? 'end of input' : `'${text[at] === '\n' ? '\\n' : text[at]}'`;
}
