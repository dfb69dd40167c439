// Placeholder substitution for blueprint files: {{name}} inline, or a whole line `  {{name}}` for an indented multi-line block.
import { WorkbenchError } from '../common/errors';

export type PlaceholderValues = Record<string, string>;

const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g;
const BLOCK_LINE = /^([ \t]*)\{\{([A-Za-z][A-Za-z0-9]*)\}\}[ \t]*$/;

function lookup(values: PlaceholderValues, name: string, source: string): string {
  const value = values[name];
  if (value === undefined) {
    throw new WorkbenchError('USAGE', `Blueprint file ${source} uses the unknown placeholder {{${name}}}`);
  }
  return value;
}

/**
 * Replaces placeholders. A line holding only a placeholder is replaced by the value's lines, each indented like the
 * placeholder, and disappears when the value is empty (used for optional YAML blocks such as build Metadata).
 * `${{ ... }}` expressions with spaces (GitHub Actions) are left alone.
 */
export function renderPlaceholders(text: string, values: PlaceholderValues, source: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const block = BLOCK_LINE.exec(line);
    if (block) {
      const value = lookup(values, block[2], source);
      if (value !== '') lines.push(...value.split('\n').map((l) => (l === '' ? l : block[1] + l)));
    } else {
      lines.push(line.replace(PLACEHOLDER, (_match, name: string) => lookup(values, name, source)));
    }
  }
  return lines.join('\n');
}
