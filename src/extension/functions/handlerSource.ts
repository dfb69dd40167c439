// Finds the source file and the line of the exported handler a function spec names (extension side, no vscode).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { FunctionSpec } from '../../core/template/functionSpec';

export type HandlerLanguage = 'javascript' | 'typescript' | 'python';

export interface HandlerSource {
  /** Absolute path of the source file the user edits (the .ts entry point for esbuild-built functions). */
  file: string;
  /** Name of the exported function, e.g. `handler`. */
  exportName: string;
  language: HandlerLanguage;
}

const NODE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];
const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);

/** The handler's source file, when the spec is a Node.js or Python zip function whose file exists. */
export function resolveHandlerSource(spec: FunctionSpec): HandlerSource | undefined {
  if (!spec.handler || !spec.runtime) return undefined;
  const dot = spec.handler.lastIndexOf('.');
  if (dot <= 0 || dot === spec.handler.length - 1) return undefined;
  const modulePart = spec.handler.slice(0, dot);
  const exportName = spec.handler.slice(dot + 1);

  if (spec.runtime.startsWith('python')) {
    const file = path.join(spec.codeDir, ...modulePart.split('.')) + '.py';
    return existsSync(file) ? { file, exportName, language: 'python' } : undefined;
  }
  if (!spec.runtime.startsWith('nodejs')) return undefined;

  const candidates = [
    ...(spec.build?.entryPoints ?? [])
      .map((entry) => path.resolve(spec.codeDir, entry))
      .filter((entry) => stripExtension(path.relative(spec.codeDir, entry)) === path.normalize(modulePart)),
    ...NODE_EXTENSIONS.map((ext) => path.join(spec.codeDir, modulePart + ext)),
  ];
  const file = candidates.find((candidate) => existsSync(candidate));
  if (!file) return undefined;
  const language = TYPESCRIPT_EXTENSIONS.has(path.extname(file)) ? 'typescript' : 'javascript';
  return { file, exportName, language };
}

/** 0-based line of the handler's definition or export in `text`, or undefined when none is found. */
export function findHandlerLine(text: string, exportName: string, language: HandlerLanguage): number | undefined {
  const name = exportName.replace(/[$]/g, '\\$');
  const patterns =
    language === 'python'
      ? [new RegExp(`^(?:async\\s+)?def\\s+${name}\\s*\\(`)]
      : [
          new RegExp(`^\\s*export\\s+(?:default\\s+)?(?:async\\s+)?function\\s*\\*?\\s*${name}\\b`),
          new RegExp(`^\\s*export\\s+(?:const|let|var)\\s+${name}\\b`),
          new RegExp(`^\\s*(?:module\\.)?exports\\.${name}\\s*=`),
          new RegExp(`^\\s*export\\s*\\{[^}]*\\b${name}\\b[^}]*\\}`),
          new RegExp(`^\\s*module\\.exports\\s*=\\s*\\{[^}]*\\b${name}\\b`),
        ];
  const lines = text.split(/\r?\n/);
  const index = lines.findIndex((line) => patterns.some((pattern) => pattern.test(line)));
  return index >= 0 ? index : undefined;
}

/** Where to open a function's handler: its source file and the handler's line (0 when not found). */
export async function locateHandler(spec: FunctionSpec): Promise<(HandlerSource & { line: number }) | undefined> {
  const source = resolveHandlerSource(spec);
  if (!source) return undefined;
  const text = await readFile(source.file, 'utf8');
  return { ...source, line: findHandlerLine(text, source.exportName, source.language) ?? 0 };
}

function stripExtension(file: string): string {
  const ext = path.extname(file);
  return ext ? file.slice(0, -ext.length) : file;
}
