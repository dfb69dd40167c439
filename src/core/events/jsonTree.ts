// A small JSON parser that keeps the text offset of every node, so validation errors can point into the document.

export type JsonNode =
  | { kind: 'object'; offset: number; length: number; properties: JsonProperty[] }
  | { kind: 'array'; offset: number; length: number; items: JsonNode[] }
  | { kind: 'string'; offset: number; length: number; value: string }
  | { kind: 'number'; offset: number; length: number; value: number }
  | { kind: 'boolean'; offset: number; length: number; value: boolean }
  | { kind: 'null'; offset: number; length: number };

export interface JsonProperty {
  key: string;
  keyOffset: number;
  value: JsonNode;
}

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

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Parses strict JSON (RFC 8259); throws JsonSyntaxError with the offset of the first problem. */
export function parseJsonTree(text: string): JsonNode {
  let pos = 0;

  const describe = (at: number): string =>
    at >= text.length ? 'end of input' : `'${text[at] === '\n' ? '\\n' : text[at]}'`;
  const fail = (message: string, at = pos): never => {
    throw new JsonSyntaxError(message, at);
  };
  const skipWhitespace = (): void => {
    while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t' || text[pos] === '\n' || text[pos] === '\r')) pos++;
  };
  const expect = (char: string, what: string): void => {
    skipWhitespace();
    if (text[pos] !== char) fail(`Expected ${what} but found ${describe(pos)}`);
    pos++;
  };

  const parseString = (): string => {
    const start = pos;
    pos++; // opening quote
    let value = '';
    while (pos < text.length) {
      const char = text[pos];
      if (char === '"') {
        pos++;
        return value;
      }
      if (char === '\\') {
        const escape = text[pos + 1];
        if (escape === 'u') {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Invalid unicode escape in string', pos);
          value += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
        } else if (escape !== undefined && escape in ESCAPES) {
          value += ESCAPES[escape];
          pos += 2;
        } else {
          fail(`Invalid escape sequence '\\${escape ?? ''}' in string`, pos);
        }
      } else if (char.charCodeAt(0) < 0x20) {
        fail('Control character in string: escape it (\\n, \\t, ...)', pos);
      } else {
        value += char;
        pos++;
      }
    }
    return fail('Unterminated string', start);
  };

  const parseValue = (): JsonNode => {
    skipWhitespace();
    const start = pos;
    const char = text[pos];
    if (char === '{') return parseObject();
    if (char === '[') return parseArray();
    if (char === '"') {
      const value = parseString();
      return { kind: 'string', offset: start, length: pos - start, value };
    }
    for (const [word, node] of [
      ['true', { kind: 'boolean', value: true }],
      ['false', { kind: 'boolean', value: false }],
      ['null', { kind: 'null' }],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return { ...node, offset: start, length: word.length } as JsonNode;
      }
    }
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (match) {
      pos += match[0].length;
      return { kind: 'number', offset: start, length: match[0].length, value: Number(match[0]) };
    }
    if (char === "'") return fail('Strings must use double quotes', start);
    return fail(`Expected a value but found ${describe(start)}`, start);
  };

  const parseObject = (): JsonNode => {
    const start = pos;
    pos++;
    const properties: JsonProperty[] = [];
    skipWhitespace();
    if (text[pos] === '}') {
      pos++;
      return { kind: 'object', offset: start, length: pos - start, properties };
    }
    for (;;) {
      skipWhitespace();
      if (text[pos] !== '"') {
        fail(text[pos] === '}' ? 'Trailing comma is not allowed in JSON' : `Expected a property name in double quotes but found ${describe(pos)}`);
      }
      const keyOffset = pos;
      const key = parseString();
      expect(':', "':' after the property name");
      properties.push({ key, keyOffset, value: parseValue() });
      skipWhitespace();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', offset: start, length: pos - start, properties };
      }
      fail(`Expected ',' or '}' but found ${describe(pos)}`);
    }
  };

  const parseArray = (): JsonNode => {
    const start = pos;
    pos++;
    const items: JsonNode[] = [];
    skipWhitespace();
    if (text[pos] === ']') {
      pos++;
      return { kind: 'array', offset: start, length: pos - start, items };
    }
    for (;;) {
      skipWhitespace();
      if (text[pos] === ']') fail('Trailing comma is not allowed in JSON');
      items.push(parseValue());
      skipWhitespace();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === ']') {
        pos++;
        return { kind: 'array', offset: start, length: pos - start, items };
      }
      fail(`Expected ',' or ']' but found ${describe(pos)}`);
    }
  };

  const root = parseValue();
  skipWhitespace();
  if (pos < text.length) fail(`Unexpected ${describe(pos)} after the end of the JSON value`);
  return root;
}

/** Converts an offset into a 1-based line and column. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
