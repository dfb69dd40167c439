// Validates an event payload text: JSON syntax first, then the schema of its (given or detected) event type.
import { detectEventType } from './detectEventType';
import { validateTree } from './jsonSchema';
import { JsonSyntaxError, nodeValue, parseJsonTree, positionAt, type JsonNode } from './jsonTree';
import { loadEventSchema } from './sampleEvents';

/** One problem in an event text. Line and column are 1-based; path is empty for the document itself. */
export interface EventDiagnostic {
  message: string;
  line: number;
  column: number;
  path: string;
}

/**
 * Syntax errors (at most one, where parsing stopped) or schema violations at the offending node.
 * Without typeId the type is detected from the payload; an unrecognised payload is only checked for syntax.
 */
export function validateEvent(text: string, typeId?: string): EventDiagnostic[] {
  let tree: JsonNode;
  try {
    tree = parseJsonTree(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return [{ message: error.message, ...positionAt(text, error.offset), path: '' }];
  }
  const type = typeId ?? detectEventType(nodeValue(tree));
  if (type === undefined) return [];
  return validateTree(tree, loadEventSchema(type)).map((violation) => ({
    message: violation.message,
    ...positionAt(text, violation.offset),
    path: violation.path,
  }));
}
