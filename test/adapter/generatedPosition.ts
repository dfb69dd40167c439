// Test helper: maps a line of an original source to its position in the compiled file through the build's source map.
import { readFileSync, readdirSync } from 'node:fs';
import { SourceMap } from 'node:module';
import * as path from 'node:path';

/** Every *.js.map file under `dir` (node_modules excluded). */
export function findSourceMaps(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') found.push(...findSourceMaps(full));
    if (entry.isFile() && entry.name.endsWith('.js.map')) found.push(full);
  }
  return found;
}

export interface GeneratedPosition {
  /** 0-based, as CDP counts. */
  lineNumber: number;
  columnNumber: number;
}

function resolveSource(mapFile: string, sourceRoot: string | undefined, source: string): string {
  return source.startsWith('file://') ? new URL(source).pathname : path.resolve(path.dirname(mapFile), sourceRoot ?? '', source);
}

/** The original file and 0-based line that a 0-based position of the compiled file maps to. */
export function originalPosition(mapFile: string, position: GeneratedPosition): { file: string; line: number } | undefined {
  const payload = JSON.parse(readFileSync(mapFile, 'utf8'));
  const entry = new SourceMap(payload).findEntry(position.lineNumber, position.columnNumber) as { originalSource?: string; originalLine?: number };
  if (entry.originalSource === undefined || entry.originalLine === undefined) return undefined;
  return { file: resolveSource(mapFile, payload.sourceRoot, entry.originalSource), line: entry.originalLine };
}

/** The first position of the compiled file (next to `mapFile`) mapped to 0-based `sourceLine` of `sourceFile` (minified output included). */
export function generatedPosition(mapFile: string, sourceFile: string, sourceLine: number): GeneratedPosition {
  const payload = JSON.parse(readFileSync(mapFile, 'utf8'));
  const map = new SourceMap(payload);
  const compiled = readFileSync(mapFile.replace(/\.map$/, ''), 'utf8').split('\n');
  for (let line = 0; line < compiled.length; line++) {
    for (let column = 0; column < compiled[line].length; column++) {
      const entry = map.findEntry(line, column) as { originalSource?: string; originalLine?: number; generatedLine?: number; generatedColumn?: number };
      if (entry.generatedLine !== line || entry.generatedColumn !== column || entry.originalSource === undefined) continue;
      if (resolveSource(mapFile, payload.sourceRoot, entry.originalSource) === sourceFile && entry.originalLine === sourceLine) return { lineNumber: line, columnNumber: column };
    }
  }
  throw new Error(`No generated position for ${sourceFile}:${sourceLine + 1} in ${mapFile}`);
}
