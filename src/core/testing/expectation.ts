// Reads NAME.expected.json, what a saved event's invocation must produce: a response (whole or a subset), or an error.
import { readFile } from 'node:fs/promises';
import { WorkbenchError } from '../common/errors';
import { validateTree, type JsonSchema } from '../events/jsonSchema';
import { JsonSyntaxError, nodeValue, parseJsonTree, positionAt, type JsonNode } from '../events/jsonTree';

export interface Expectation {
  /** The version or alias the test invokes (Invoke's Qualifier); $LATEST when absent. */
  qualifier?: string;
  /** The parsed response payload must equal this. */
  response?: unknown;
  /** The parsed response payload must contain this (objects: these keys, recursively; arrays and scalars: equal). */
  responseContains?: unknown;
  /** The invocation must fail with this error type and/or message. */
  error?: { errorType?: string; errorMessage?: string };
  /** Lines that must appear in the invocation's log: a substring, or /regex/flags. */
  logs?: string[];
  /** The invocation's duration (as REPORT gives it) must not exceed this. */
  maxDurationMs?: number;
}

const OUTCOMES = ['response', 'responseContains', 'error'] as const;

const EXPECTATION_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // Invoke's Qualifier in Lambda's service model: 1-128 of these characters.
    qualifier: { type: 'string', pattern: '^[a-zA-Z0-9$_-]{1,128}$' },
    response: {},
    responseContains: {},
    error: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: { errorType: { type: 'string', minLength: 1 }, errorMessage: { type: 'string' } },
    },
    logs: { type: 'array', items: { type: 'string', minLength: 1 } },
    maxDurationMs: { type: 'number', minimum: 1 },
  },
};

function invalid(file: string, text: string, offset: number, message: string): WorkbenchError {
  return new WorkbenchError('EVENT_INVALID', `Invalid expectation file: ${message}.`, {
    location: { file, ...positionAt(text, offset) },
    hint: 'An expectation holds one of "response", "responseContains" or "error", and optionally "qualifier", "logs" and "maxDurationMs".',
  });
}

/** Parses an expectation's text; errors name the file, line and column. */
export function parseExpectation(file: string, text: string): Expectation {
  let tree: JsonNode;
  try {
    tree = parseJsonTree(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw invalid(file, text, error.offset, error.message);
    throw error;
  }
  const [violation] = validateTree(tree, EXPECTATION_SCHEMA);
  if (violation) throw invalid(file, text, violation.offset, violation.message.replace(/^The event/, 'The expectation'));
  const present = (tree.children ?? []).filter((property) => (OUTCOMES as readonly unknown[]).includes(property.children?.[0]?.value));
  if (present.length > 1) {
    const names = present.map((property) => `"${String(property.children?.[0]?.value)}"`).join(' and ');
    throw invalid(file, text, present[1].offset, `${names} cannot be combined: choose one`);
  }
  for (const pattern of (nodeValue(tree) as Expectation).logs ?? []) {
    try {
      logMatcher(pattern);
    } catch (error) {
      const at = text.indexOf(JSON.stringify(pattern));
      throw invalid(file, text, Math.max(at, 0), `the log pattern ${pattern} is not a regular expression (${(error as Error).message})`);
    }
  }
  // JSON.parse, not the tree's value: its objects have null prototypes, which strict comparisons tell apart.
  return JSON.parse(text) as Expectation;
}

/** The expectation in `file`, or undefined when there is none. */
export async function readExpectation(file: string): Promise<Expectation | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new WorkbenchError('EVENT_INVALID', `Cannot read expectation file ${file}: ${(error as Error).message}`, { cause: error });
  }
  return parseExpectation(file, text);
}

/** A log expectation as a matcher: /regex/flags, else a substring. Throws SyntaxError for a bad regex. */
export function logMatcher(pattern: string): (line: string) => boolean {
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (regex) {
    const compiled = new RegExp(regex[1], regex[2]);
    return (line) => compiled.test(line);
  }
  return (line) => line.includes(pattern);
}
