// The Lambda runtime identifiers this tool recognises, and helpers to tell their language and version.
import leven from 'leven';

/** Runtimes Lambda currently offers for new functions (shown in error messages). */
export const CURRENT_RUNTIMES = [
  'nodejs20.x', 'nodejs22.x', 'nodejs24.x',
  'python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14',
  'java11', 'java17', 'java21', 'java25', 'java8.al2',
  'dotnet8', 'dotnet10', 'ruby3.3', 'ruby3.4',
  'provided.al2', 'provided.al2023',
] as const;

/** Deprecated runtimes that existing templates still name; they are accepted. */
const DEPRECATED_RUNTIMES = [
  'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'nodejs16.x', 'nodejs18.x',
  'python3.6', 'python3.7', 'python3.8', 'python3.9',
  'java8', 'dotnet6', 'dotnetcore3.1', 'ruby2.7', 'ruby3.2', 'go1.x', 'provided',
];

const KNOWN = new Set<string>([...CURRENT_RUNTIMES, ...DEPRECATED_RUNTIMES]);

export function isKnownRuntime(runtime: string): boolean {
  return KNOWN.has(runtime);
}

export function isNodeRuntime(runtime: string | undefined): boolean {
  return runtime?.startsWith('nodejs') ?? false;
}

export function isPythonRuntime(runtime: string | undefined): boolean {
  return runtime?.startsWith('python') ?? false;
}

/** Custom runtimes run a `bootstrap` executable; their Handler is free text. */
export function isCustomRuntime(runtime: string | undefined): boolean {
  return runtime === 'provided' || (runtime?.startsWith('provided.') ?? false) || runtime === 'go1.x';
}

/** nodejs20.x -> 20; undefined for other runtimes. */
export function nodeMajorVersion(runtime: string | undefined): number | undefined {
  const match = /^nodejs(\d+)\.x$/.exec(runtime ?? '');
  return match ? Number(match[1]) : undefined;
}

/** The version digits of a runtime identifier as one number (nodejs22.x -> 22, python3.12 -> 3.12), for nearness. */
function versionNumber(runtime: string): number {
  const digits = /(\d+(?:\.\d+)?)/.exec(runtime);
  return digits ? Number(digits[1]) : 0;
}

/** The current runtime spelled most like `runtime` (fewest edits); among equals, the nearest version (nodejs99.x -> nodejs24.x). */
export function closestRuntime(runtime: string): string {
  const wanted = versionNumber(runtime);
  const ranked = CURRENT_RUNTIMES.map((candidate) => ({ candidate, edits: leven(runtime, candidate), gap: Math.abs(versionNumber(candidate) - wanted) }));
  ranked.sort((a, b) => a.edits - b.edits || a.gap - b.gap);
  return ranked[0].candidate;
}
