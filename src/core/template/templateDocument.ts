// Reads a template file, checks that it is a CloudFormation template, and maps template paths back to file positions.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { WorkbenchError, type SourceEdit, type SourceLocation } from '../common/errors';
import { parseTemplateText } from './parseTemplateText';

export type TemplatePath = readonly (string | number)[];

/** One resource as written in the template. */
export interface TemplateResource {
  type: string;
  properties: Record<string, unknown>;
  metadata: Record<string, unknown>;
  condition?: string;
}

export interface TemplateDocument {
  /** Absolute path of the template file. */
  path: string;
  dir: string;
  /** The whole template as plain data (intrinsics in long form). */
  root: Record<string, unknown>;
  resources: Record<string, TemplateResource>;
  /** Position of the node at `templatePath` (for a map entry: its key), or undefined when unknown. */
  locate(templatePath: TemplatePath): SourceLocation | undefined;
  /** An edit replacing the plain value written at `templatePath` (not an intrinsic) by `value`, quoted as the original is. */
  replaceValue(templatePath: TemplatePath, value: string | number, title: string): SourceEdit | undefined;
  /** Edits that resolve some of the loader's warnings, by the warning's text (a missing CodeUri's nearest folder). */
  warningFixes: Map<string, SourceEdit>;
  /** What the file itself deserves a word about (duplicate keys), each starting with file:line. */
  warnings: string[];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new WorkbenchError('TEMPLATE_NOT_FOUND', `Template not found: ${file}`, {
        hint: 'Pass the path of a SAM or CloudFormation template (template.yaml).',
      });
    }
    if (code === 'EISDIR') {
      throw new WorkbenchError('TEMPLATE_NOT_FOUND', `Template path is a directory, not a file: ${file}`, {
        hint: 'Pass the template file itself, e.g. template.yaml.',
      });
    }
    throw new WorkbenchError('TEMPLATE_NOT_FOUND', `Cannot read template ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/** The node at `templatePath` and, for a map entry, its key. */
function nodeAt(tree: Document.Parsed | undefined, templatePath: TemplatePath): { node: unknown; anchor: Node | undefined } | undefined {
  let node: unknown = tree?.contents;
  let anchor: Node | undefined;
  for (const segment of templatePath) {
    if (isMap(node)) {
      // A key written twice holds its last value (parseTemplateText), so that is the one to point at.
      const pair = [...node.items].reverse().find((item) => isPair(item) && isScalar(item.key) && item.key.value === segment);
      if (!pair) return undefined;
      anchor = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      anchor = node as Node | undefined;
    } else {
      return undefined;
    }
  }
  return { node, anchor };
}

function locator(file: string, tree: Document.Parsed | undefined, lineCounter: LineCounter): TemplateDocument['locate'] {
  return (templatePath) => {
    const offset = nodeAt(tree, templatePath)?.anchor?.range?.[0];
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
}

/** `value` written the way `original` is: double-quoted (JSON too), single-quoted, or plain. */
function asWritten(original: string, value: string | number): string {
  if (typeof value === 'number') return String(value);
  if (original.startsWith('"')) return JSON.stringify(value);
  if (original.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  return value;
}

function valueReplacer(file: string, text: string, tree: Document.Parsed | undefined, lineCounter: LineCounter): TemplateDocument['replaceValue'] {
  return (templatePath, value, title) => {
    const node = nodeAt(tree, templatePath)?.node;
    // Only a plain scalar: a tagged one (!Ref, !Sub) or a parameter's value is not what this edit would change.
    if (!isScalar(node) || node.tag !== undefined || !node.range) return undefined;
    const [start, end] = node.range;
    const from = lineCounter.linePos(start);
    const to = lineCounter.linePos(end);
    return { title, file, line: from.line, column: from.col, endLine: to.line, endColumn: to.col, newText: asWritten(text.slice(start, end), value) };
  };
}

function describeKind(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

function readResources(file: string, root: Record<string, unknown>, locate: TemplateDocument['locate']): Record<string, TemplateResource> {
  const notTemplate = (why: string, at?: SourceLocation): WorkbenchError =>
    new WorkbenchError('TEMPLATE_INVALID', `Not a CloudFormation template: ${why}`, { location: at ?? { file } });
  if (!('Resources' in root)) {
    const keys = Object.keys(root).slice(0, 5).join(', ');
    throw notTemplate(`it has no Resources section (top-level keys: ${keys || 'none'}). A SAM or CloudFormation template declares its functions under Resources.`);
  }
  if (!isRecord(root.Resources)) {
    throw notTemplate(`Resources must be a mapping of logical ids to resources, but it is ${describeKind(root.Resources)}.`, locate(['Resources']));
  }
  const resources: Record<string, TemplateResource> = {};
  for (const [id, resource] of Object.entries(root.Resources)) {
    if (!isRecord(resource) || typeof resource.Type !== 'string') {
      throw notTemplate(`resource '${id}' has no Type (e.g. Type: AWS::Serverless::Function).`, locate(['Resources', id]));
    }
    for (const key of ['Properties', 'Metadata'] as const) {
      if (resource[key] !== undefined && resource[key] !== null && !isRecord(resource[key])) {
        throw notTemplate(`${key} of resource '${id}' must be a mapping, but it is ${describeKind(resource[key])}.`, locate(['Resources', id, key]));
      }
    }
    resources[id] = {
      type: resource.Type,
      properties: isRecord(resource.Properties) ? resource.Properties : {},
      metadata: isRecord(resource.Metadata) ? resource.Metadata : {},
      ...(typeof resource.Condition === 'string' ? { condition: resource.Condition } : {}),
    };
  }
  return resources;
}

/**
 * Reads and parses a template (`text`, e.g. an editor's unsaved content, instead of the file when given); errors are
 * TEMPLATE_NOT_FOUND, TEMPLATE_PARSE or TEMPLATE_INVALID.
 */
export async function readTemplateDocument(templatePath: string, text?: string): Promise<TemplateDocument> {
  const file = path.resolve(templatePath);
  text ??= await readText(file);
  const { data, tree, lineCounter, warnings } = parseTemplateText(file, text);
  if (!isRecord(data)) {
    throw new WorkbenchError('TEMPLATE_INVALID',
      `Not a CloudFormation template: the file is ${describeKind(data)}, expected a mapping with a Resources section.`,
      { location: { file, line: 1, column: 1 } });
  }
  const locate = locator(file, tree, lineCounter);
  return {
    path: file,
    dir: path.dirname(file),
    root: data,
    resources: readResources(file, data, locate),
    locate,
    replaceValue: valueReplacer(file, text, tree, lineCounter),
    warningFixes: new Map(),
    warnings,
  };
}
