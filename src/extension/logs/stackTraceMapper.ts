// Finds file:line locations in log lines and error responses (Node and Python stacks) and maps them to workspace files (no vscode).
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionSpec } from '../../core/template/functionSpec';

/** Where code runs inside a Lambda container (LAMBDA_TASK_ROOT). */
const TASK_ROOT = '/var/task/';

export interface StackLocation {
  /** Offsets of the matched text in the line, for the link range. */
  start: number;
  end: number;
  /** The path as printed (container path, file URL or host path). */
  printedPath: string;
  line: number;
  column?: number;
}

const NODE_FRAME = /((?:file:\/\/)?\/[^\s()"'`,:]+\.(?:[cm]?[jt]sx?|py)):(\d+)(?::(\d+))?/g;
const PYTHON_FRAME = /File \\?"([^"\\]+\.py)\\?", line (\d+)/g;

/** Every stack-frame location in one line. */
export function findStackLocations(text: string): StackLocation[] {
  const found: StackLocation[] = [];
  for (const match of text.matchAll(NODE_FRAME)) {
    found.push({
      start: match.index,
      end: match.index + match[0].length,
      printedPath: match[1],
      line: Number(match[2]),
      ...(match[3] ? { column: Number(match[3]) } : {}),
    });
  }
  for (const match of text.matchAll(PYTHON_FRAME)) {
    if (found.some((f) => f.start <= match.index && match.index < f.end)) continue;
    found.push({ start: match.index, end: match.index + match[0].length, printedPath: match[1], line: Number(match[2]) });
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * The workspace file a printed path stands for: container paths map into the function's code directory
 * (a built .js falls back to its .ts source); host paths and file URLs stay as they are. Undefined when no such file exists.
 */
export function mapToWorkspace(printedPath: string, spec: FunctionSpec | undefined, exists: (file: string) => boolean): string | undefined {
  const hostPath = printedPath.startsWith('file://') ? fileURLToPath(printedPath) : printedPath;
  if (hostPath.startsWith(TASK_ROOT) && spec) {
    const relative = hostPath.slice(TASK_ROOT.length);
    const inCode = path.join(spec.codeDir, relative);
    const candidates = [inCode, ...['.ts', '.mts', '.cts'].map((ext) => inCode.replace(/\.[cm]?js$/, ext))];
    return candidates.find(exists);
  }
  return exists(hostPath) ? hostPath : undefined;
}

/** The function a log line belongs to, from the `[FunctionName] ` prefix the log channel writes (after its timestamp and level). */
export function functionNameOfLine(text: string): string | undefined {
  return /^(?:[\d-]+ [\d:.]+ \[(?:trace|debug|info|warning|error)\] )?\[([\w.-]+)\] /.exec(text)?.[1];
}

export interface SourcePosition {
  file: string;
  /** 1-based. */
  line: number;
  column?: number;
}

/**
 * The stack of an error response, innermost frame first: Node.js bodies carry `trace` (innermost first), Python bodies
 * `stackTrace` (a traceback, outermost first). Empty when the payload is not such a body.
 */
export function errorResponseFrames(payload: string): string[] {
  let body: { trace?: unknown; stackTrace?: unknown };
  try {
    body = JSON.parse(payload) as typeof body;
  } catch {
    return [];
  }
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
  if (body === null || typeof body !== 'object') return [];
  return [...strings(body.trace), ...strings(body.stackTrace).reverse()];
}

/** One stack line and the workspace position of the first location in it that names an existing file. */
export interface FrameLink {
  text: string;
  position?: SourcePosition;
}

/** Each stack line with the file it points to (container paths mapped into the function's code), when there is one. */
export function frameLinks(frames: string[], spec: FunctionSpec | undefined, exists: (file: string) => boolean): FrameLink[] {
  return frames.map((text) => {
    for (const location of findStackLocations(text)) {
      const file = mapToWorkspace(location.printedPath, spec, exists);
      if (file) return { text, position: { file, line: location.line, ...(location.column ? { column: location.column } : {}) } };
    }
    return { text };
  });
}

/** The innermost frame in the function's own code (not node_modules, not the runtime): where "Go to Error" goes. */
export function topUserFrame(frames: string[], spec: FunctionSpec, exists: (file: string) => boolean): SourcePosition | undefined {
  const codeDir = path.resolve(spec.codeDir) + path.sep;
  const inUserCode = (file: string): boolean => file.startsWith(codeDir) && !file.split(path.sep).includes('node_modules');
  return frameLinks(frames, spec, (file) => exists(file) && inUserCode(file)).find((link) => link.position)?.position;
}
