// Parses template text (YAML with CloudFormation tags, or JSON) into plain data plus a YAML tree for source positions.
import { Document, LineCounter, isMap, isScalar, isSeq, parseDocument, type YAMLError } from 'yaml';
import { WorkbenchError, type SourceLocation } from '../common/errors';
import { cloudFormationTags } from './cfnYamlTags';

export interface ParsedTemplateText {
  /** The template as plain data, intrinsic short forms already in long form. */
  data: unknown;
  /** The YAML tree, for positions; JSON is parsed again as YAML for this (JSON is a YAML subset). */
  tree?: Document.Parsed;
  lineCounter: LineCounter;
  /** What loads but deserves a word (duplicate keys), each starting with file:line. */
  warnings: string[];
}

/** Plain-words hints for the YAML mistakes people make most in templates. */
const YAML_HINTS: Partial<Record<string, string>> = {
  BLOCK_AS_IMPLICIT_KEY: 'A key already has a value on this line, but the next line is indented as if it belonged to it; check that indentation.',
  MULTILINE_IMPLICIT_KEY: 'A key spans several lines; check indentation and quotes.',
  BAD_INDENT: 'Check the indentation: items of one mapping or list must line up.',
  TAB_AS_INDENT: 'Indent with spaces.',
  MISSING_CHAR: 'A quote or bracket is not closed.',
};

/** Where a YAML parser error or warning points. */
function yamlErrorLocation(file: string, error: YAMLError, lineCounter: LineCounter): SourceLocation {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  return { file, line, column: col };
}

/** Duplicate keys are accepted (the last value wins, as SAM CLI reads them) and reported by duplicateKeyWarnings. */
function parseYamlTree(text: string, lineCounter: LineCounter): Document.Parsed {
  return parseDocument(text, { customTags: cloudFormationTags, lineCounter, prettyErrors: false, keepSourceTokens: false, uniqueKeys: false });
}

/** One warning per key written twice in the same mapping, at the later one, naming where the first one is. */
function duplicateKeyWarnings(file: string, tree: Document.Parsed, lineCounter: LineCounter): string[] {
  const warnings: string[] = [];
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  const walk = (node: unknown, at: string[]): void => {
    if (isSeq(node)) node.items.forEach((item, index) => walk(item, [...at, String(index)]));
    if (!isMap(node)) return;
    const seen = new Map<string, number | undefined>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) continue;
      const line = lineOf(pair.key && isScalar(pair.key) ? pair.key.range?.[0] : undefined);
      if (seen.has(key)) {
        warnings.push(`${file}:${line ?? '?'}: duplicate key ${[...at, key].join('.')} (first at line ${seen.get(key) ?? '?'}): the last value is used, as SAM CLI reads it; remove the other one.`);
      }
      seen.set(key, line);
      walk(pair.value, [...at, key]);
    }
  };
  walk(tree.contents, []);
  return warnings;
}

/** Each YAML file's last parse (its text and what came of it): `start` has every local service read the same template. */
const lastParses = new Map<string, { text: string; tree: Document.Parsed; lineCounter: LineCounter; warnings: string[] }>();

/**
 * The same text is parsed once: later calls share the read-only tree and line positions, and get data of their own
 * (the tree's toJS, a tenth of a parse).
 */
function parseYaml(file: string, text: string): ParsedTemplateText {
  let last = lastParses.get(file);
  if (last?.text !== text) {
    last = { text, ...parseYamlText(file, text) };
    lastParses.set(file, last);
  }
  return { data: last.tree.toJS({ maxAliasCount: 1000 }), tree: last.tree, lineCounter: last.lineCounter, warnings: [...last.warnings] };
}

function parseYamlText(file: string, text: string): { tree: Document.Parsed; lineCounter: LineCounter; warnings: string[] } {
  const lineCounter = new LineCounter();
  const tree = parseYamlTree(text, lineCounter);
  const [error] = tree.errors;
  if (error) {
    const hint = YAML_HINTS[error.code];
    throw new WorkbenchError('TEMPLATE_PARSE', `YAML syntax error: ${error.message}.`, {
      location: yamlErrorLocation(file, error, lineCounter),
      ...(hint ? { hint } : {}),
    });
  }
  const unknownTag = tree.warnings.find((warning) => warning.code === 'TAG_RESOLVE_FAILED');
  if (unknownTag) {
    throw new WorkbenchError('TEMPLATE_PARSE', `${unknownTag.message}. CloudFormation knows only its own short-form tags (!Ref, !Sub, !GetAtt, ...).`, {
      location: yamlErrorLocation(file, unknownTag, lineCounter),
    });
  }
  return { tree, lineCounter, warnings: duplicateKeyWarnings(file, tree, lineCounter) };
}

/** 1-based line and column of a character offset. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function parseJson(file: string, text: string): ParsedTemplateText {
  const lineCounter = new LineCounter();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    let offset = position ? Number(position[1]) : /end of JSON input/.test(message) ? text.length : undefined;
    if (offset === undefined) {
      // Some V8 messages carry no position: the YAML parser finds the same mistake and says where.
      const tree = parseYamlTree(text, new LineCounter());
      offset = tree.errors[0]?.pos[0];
    }
    const location: SourceLocation = { file, ...(offset === undefined ? {} : positionOf(text, offset)) };
    throw new WorkbenchError('TEMPLATE_PARSE', `JSON syntax error: ${message.replace(/ in JSON at position \d+.*$/, '')}`, { location });
  }
  const tree = parseYamlTree(text, lineCounter);
  if (tree.errors.length > 0) return { data, lineCounter, warnings: [] };
  return { data, tree, lineCounter, warnings: duplicateKeyWarnings(file, tree, lineCounter) };
}

/** Parses a template's text; `.json` files are read as JSON, everything else as YAML. */
export function parseTemplateText(file: string, text: string): ParsedTemplateText {
  return file.toLowerCase().endsWith('.json') ? parseJson(file, text) : parseYaml(file, text);
}
