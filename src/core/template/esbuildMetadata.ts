// Reads SAM `Metadata: BuildMethod: esbuild` and its BuildProperties into an EsbuildBuildSpec (SAM's defaults).
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { WorkbenchError, type SourceLocation } from '../common/errors';
import { describeEscape, pathEscape } from '../common/projectRoot';
import { PROJECT_ROOT_FIX } from './templatePaths';
import type { EsbuildBuildSpec } from './functionSpec';
import { isRecord } from './templateDocument';

const KNOWN_PROPERTIES = new Set(['EntryPoints', 'Sourcemap', 'Target', 'Format', 'External', 'Minify']);
const ENTRY_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const SOURCE_MAPS_FLAG = '--enable-source-maps';

export interface BuildMetadataInput {
  logicalId: string;
  metadata: Record<string, unknown>;
  handler?: string;
  codeDir: string;
  /** Entry points must stay inside it, as CodeUri must (see templateLocalPath). */
  projectRoot: string;
  /** NODE_OPTIONS from the function's environment: `--enable-source-maps` turns Sourcemap on unless it is set to false. */
  nodeOptions?: string;
  locate: (key?: string) => SourceLocation;
}

function flag(value: unknown, fallback: boolean, fail: (message: string) => never): boolean {
  if (value === undefined || value === null) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return fail(`must be true or false, got ${JSON.stringify(value)}`);
}

function textList(value: unknown, fail: (message: string) => never): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
  return items.map((item) => (typeof item === 'string' ? item.trim() : fail(`must be a list of strings, got ${JSON.stringify(value)}`)));
}

/** SAM uses the handler's file as the entry point when EntryPoints is not set. */
function entryFromHandler(handler: string | undefined, codeDir: string): string[] {
  if (!handler || handler.lastIndexOf('.') <= 0) return [];
  const file = handler.slice(0, handler.lastIndexOf('.'));
  const found = ENTRY_EXTENSIONS.map((extension) => `${file}${extension}`).find((candidate) => existsSync(path.join(codeDir, candidate)));
  return [found ?? `${file}.ts`];
}

/** The build spec, or undefined when the function is not built with esbuild. */
export function readBuildMetadata(input: BuildMetadataInput): EsbuildBuildSpec | undefined {
  const { metadata, logicalId } = input;
  if (metadata.BuildMethod === undefined) return undefined;
  if (metadata.BuildMethod !== 'esbuild') {
    throw new WorkbenchError('TEMPLATE_INVALID',
      `BuildMethod '${String(metadata.BuildMethod)}' of ${logicalId} is not supported; only esbuild builds run locally.`,
      { location: input.locate('BuildMethod'), hint: 'Use BuildMethod: esbuild, or remove Metadata.BuildMethod and point CodeUri at built code.' });
  }
  const properties = metadata.BuildProperties ?? {};
  if (!isRecord(properties)) {
    throw new WorkbenchError('TEMPLATE_INVALID', `Metadata.BuildProperties of ${logicalId} must be a mapping.`, { location: input.locate('BuildProperties') });
  }
  const failFor = (key: string) => (message: string): never => {
    throw new WorkbenchError('TEMPLATE_INVALID', `BuildProperties.${key} of ${logicalId} ${message}.`, { location: input.locate(key) });
  };
  const format = properties.Format ?? 'cjs';
  if (format !== 'cjs' && format !== 'esm') failFor('Format')(`must be cjs or esm, got ${JSON.stringify(format)}`);
  const target = properties.Target;
  if (target !== undefined && typeof target !== 'string') failFor('Target')(`must be a string such as node20 or es2022, got ${JSON.stringify(target)}`);
  const entryPoints = textList(properties.EntryPoints, failFor('EntryPoints'));
  for (const entry of entryPoints) {
    const escape = pathEscape(path.resolve(input.codeDir, entry), [input.projectRoot]);
    if (escape) {
      failFor('EntryPoints')(`has ${entry}, which resolves to ${describeEscape(escape)}, outside the project root ${input.projectRoot}; entry points are relative to CodeUri and must stay inside the project. ${PROJECT_ROOT_FIX}`);
    }
  }
  const sourceMapsInNodeOptions = input.nodeOptions?.split(/\s+/).includes(SOURCE_MAPS_FLAG) ?? false;
  return {
    entryPoints: entryPoints.length > 0 ? entryPoints : entryFromHandler(input.handler, input.codeDir),
    sourcemap: flag(properties.Sourcemap, sourceMapsInNodeOptions, failFor('Sourcemap')),
    ...(typeof target === 'string' ? { target } : {}),
    format: format as 'cjs' | 'esm',
    external: textList(properties.External, failFor('External')),
    minify: flag(properties.Minify, true, failFor('Minify')),
    extra: Object.fromEntries(Object.entries(properties).filter(([key]) => !KNOWN_PROPERTIES.has(key))),
  };
}

/** SAM appends `--enable-source-maps` to NODE_OPTIONS when Sourcemap is on. */
export function nodeOptionsWithSourceMaps(nodeOptions: string | undefined): string {
  if (!nodeOptions) return SOURCE_MAPS_FLAG;
  return nodeOptions.split(/\s+/).includes(SOURCE_MAPS_FLAG) ? nodeOptions : `${nodeOptions} ${SOURCE_MAPS_FLAG}`;
}
