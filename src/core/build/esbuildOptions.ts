// Maps a function's SAM esbuild settings (EsbuildBuildSpec) to esbuild API options, the way `sam build` would bundle it.
import type { BuildOptions, Loader } from 'esbuild';
import type { EsbuildBuildSpec, FunctionSpec } from '../template/functionSpec';
import { nodeMajorVersion } from '../template/lambdaRuntimes';

const DEFAULT_TARGET = 'node20';

export interface EsbuildOptionsResult {
  options: BuildOptions;
  /** BuildProperties this tool does not apply, one message each. */
  warnings: string[];
}

/** SAM writes several options as "key=value" strings (Loader, Banner, Footer, OutExtension). */
function keyValues(value: unknown): Record<string, string> {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  const result: Record<string, string> = {};
  for (const item of items) {
    const text = String(item);
    const equals = text.indexOf('=');
    if (equals > 0) result[text.slice(0, equals).trim()] = text.slice(equals + 1);
  }
  return result;
}

function applyExtra(extra: Record<string, unknown>, options: BuildOptions, warnings: string[]): void {
  for (const [key, value] of Object.entries(extra)) {
    switch (key) {
      case 'Loader':
        options.loader = keyValues(value) as Record<string, Loader>;
        break;
      case 'MainFields':
        options.mainFields = (Array.isArray(value) ? value.map(String) : String(value).split(',')).map((field) => field.trim());
        break;
      case 'Banner':
        options.banner = keyValues(value);
        break;
      case 'Footer':
        options.footer = keyValues(value);
        break;
      case 'OutExtension':
        options.outExtension = { ...options.outExtension, ...keyValues(value) };
        break;
      case 'SourcesContent':
        options.sourcesContent = value !== false && value !== 'false';
        break;
      default:
        warnings.push(`BuildProperties.${key} is not applied by local builds.`);
    }
  }
}

/**
 * esbuild options that bundle `spec` into `outDir` in memory (write: false), so a failed build leaves old output alone.
 * `readable` (debug sessions): no minification, names kept and a source map, whatever the template says.
 */
export function esbuildOptionsFor(spec: FunctionSpec, build: EsbuildBuildSpec, outDir: string, readable = false): EsbuildOptionsResult {
  const major = nodeMajorVersion(spec.runtime);
  const options: BuildOptions = {
    absWorkingDir: spec.codeDir,
    entryPoints: build.entryPoints,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: build.target ?? (major ? `node${major}` : DEFAULT_TARGET),
    format: build.format ?? 'cjs',
    external: build.external,
    minify: build.minify && !readable,
    ...(readable ? { keepNames: true } : {}),
    sourcemap: build.sourcemap || readable ? 'linked' : false,
    sourcesContent: true,
    write: false,
    logLevel: 'silent',
    ...(build.format === 'esm' ? { outExtension: { '.js': '.mjs' } } : {}),
  };
  const warnings: string[] = [];
  applyExtra(build.extra, options, warnings);
  return { options, warnings };
}
