// Rewrites esbuild source maps so `sources` are absolute workspace paths, which debuggers match to breakpoints in .ts files.
import * as path from 'node:path';

interface SourceMapJson {
  sources?: string[];
  sourceRoot?: string;
  [key: string]: unknown;
}

/** Virtual sources (e.g. `<define:X>`, `node:fs`) are not files and stay as they are. */
function isFileSource(source: string): boolean {
  return !source.startsWith('<') && !/^[a-z][a-z0-9+.-]*:/i.test(source);
}

/** The map text with every file source made absolute (resolved against the map's own folder) and an empty sourceRoot. */
export function absolutizeSourceMap(mapText: string, mapPath: string): string {
  const map = JSON.parse(mapText) as SourceMapJson;
  const base = path.resolve(path.dirname(mapPath), map.sourceRoot ?? '');
  map.sources = (map.sources ?? []).map((source) => (isFileSource(source) ? path.resolve(base, source) : source));
  map.sourceRoot = '';
  return JSON.stringify(map);
}
