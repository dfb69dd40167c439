// Scaffolds a blueprint into a directory: renders its files with placeholders and never overwrites an existing file.
import { mkdir, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { WorkbenchError } from '../common/errors';
import { loadSampleEvent } from '../events/sampleEvents';
import { blueprintsDir, findManifest, type BlueprintLanguage, type BlueprintManifest } from './manifest';
import { renderPlaceholders, type PlaceholderValues } from './placeholders';

export interface ScaffoldOptions {
  /** CloudFormation logical id of the new function (letters and digits); defaults to the blueprint's. */
  functionName?: string;
  /** One of BLUEPRINT_RUNTIMES[language]; defaults to the first. */
  runtime?: string;
}

/** The runtimes each blueprint language offers, the default first. */
export const BLUEPRINT_RUNTIMES: Record<BlueprintLanguage, readonly string[]> = {
  javascript: ['nodejs20.x', 'nodejs22.x'],
  typescript: ['nodejs20.x', 'nodejs22.x'],
  python: ['python3.12', 'python3.13'],
};

export interface ScaffoldResult {
  /** Absolute paths of the files written. */
  created: string[];
  /** Absolute paths that already existed and were left untouched. */
  skipped: string[];
}

/** SAM build metadata for TypeScript functions: esbuild bundles app.ts into an ES module. */
const ESBUILD_METADATA = [
  'Metadata:',
  '  BuildMethod: esbuild',
  '  BuildProperties:',
  '    Format: esm',
  '    Target: es2022',
  '    Sourcemap: true',
  '    OutExtension:',
  '      - .js=.mjs',
  '    EntryPoints:',
  '      - app.ts',
  '    External:',
  "      - '@aws-sdk/*'",
].join('\n');

const LANGUAGE_VALUES: Record<BlueprintLanguage, PlaceholderValues> = {
  javascript: { handler: 'app.handler', buildMetadata: '' },
  typescript: { handler: 'app.handler', buildMetadata: ESBUILD_METADATA },
  python: { handler: 'app.handler', buildMetadata: '' },
};

/** The runtime and its version as CI setup actions write it: nodejs22.x -> 22, python3.13 -> 3.13. */
function runtimeValues(language: BlueprintLanguage, requested: string | undefined): PlaceholderValues {
  const offered = BLUEPRINT_RUNTIMES[language];
  const runtime = requested ?? offered[0];
  if (!offered.includes(runtime)) {
    throw new WorkbenchError('USAGE', `Runtime '${runtime}' is not offered for ${language} blueprints`, { hint: `Choose one of: ${offered.join(', ')}.` });
  }
  return { runtime, runtimeVersion: runtime.replace(/^(?:nodejs|python)/, '').replace(/\.x$/, '') };
}

/** Dot files ship as `dot-name` (packagers drop dot files): `dot-gitignore` -> `.gitignore`, `dot-github/` -> `.github/`. */
const DOT_PREFIX = /(^|\/)dot-/g;

function toKebabCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase();
}

/** A CloudFormation stack name derived from the target directory. */
function projectNameFor(targetDir: string): string {
  const name = basename(targetDir).replace(/[^A-Za-z0-9-]+/g, '-').replace(/^[^A-Za-z]+|-+$/g, '');
  return name === '' ? 'lambda-app' : name.slice(0, 64);
}

function placeholderValues(manifest: BlueprintManifest, language: BlueprintLanguage, targetDir: string, options: ScaffoldOptions): PlaceholderValues {
  const functionName = options.functionName ?? manifest.defaultFunctionName;
  if (!/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(functionName)) {
    throw new WorkbenchError('USAGE', `Invalid function name '${functionName}'`, {
      hint: 'Use a CloudFormation logical id: a letter followed by letters and digits, at most 64 characters (for example OrderHandler).',
    });
  }
  return {
    ...LANGUAGE_VALUES[language],
    ...runtimeValues(language, options.runtime),
    functionName,
    codeDir: toKebabCase(functionName),
    projectName: projectNameFor(targetDir),
    memorySize: String(manifest.preset.memorySize),
    timeout: String(manifest.preset.timeout),
  };
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await listFiles(join(dir, entry.name), path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Creates `path` with `content` unless something already exists there; returns false when it existed. */
async function writeNew(root: string, realRoot: string, path: string, content: string): Promise<boolean> {
  if (!isInside(root, path)) {
    throw new WorkbenchError('USAGE', `Blueprint file ${path} would be written outside ${root}`);
  }
  let existing = dirname(path);
  while (!existsSync(existing)) existing = dirname(existing);
  if (!isInside(realRoot, await realpath(existing))) {
    throw new WorkbenchError('USAGE', `Refusing to write ${path}: ${existing} links outside ${root}`);
  }
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(path, content, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Writes the blueprint's files for `language` into `targetDir` (created if missing): the shared files, the language's
 * files and the sample events it takes from the event library. Existing files are skipped and reported, never changed.
 */
export async function scaffoldBlueprint(id: string, language: BlueprintLanguage, targetDir: string, options: ScaffoldOptions = {}): Promise<ScaffoldResult> {
  const manifest = findManifest(id);
  if (!manifest.languages.includes(language)) {
    throw new WorkbenchError('USAGE', `Blueprint '${id}' is not available in ${language}`, {
      hint: `Choose one of: ${manifest.languages.join(', ')}.`,
    });
  }
  const root = resolve(targetDir);
  const values = placeholderValues(manifest, language, root, options);
  await mkdir(root, { recursive: true });
  const realRoot = await realpath(root);

  const outputs = new Map<string, string>();
  // Every project gets the CI workflows that validate its template and run its saved events as tests, locally.
  const sourceDirs = [join(blueprintsDir(), 'common', 'ci', language === 'python' ? 'python' : 'node'), join(blueprintsDir(), id, 'shared'), join(blueprintsDir(), id, language)];
  if (manifest.kind === 'function') sourceDirs.splice(1, 0, join(blueprintsDir(), 'common', 'function', language));
  for (const sourceDir of sourceDirs) {
    for (const file of await listFiles(sourceDir)) {
      const source = join(sourceDir, file);
      const target = renderPlaceholders(file, values, source).replace(DOT_PREFIX, '$1.');
      outputs.set(target, renderPlaceholders(await readFile(source, 'utf8'), values, source));
    }
  }
  for (const [file, eventId] of Object.entries(manifest.sampleEvents ?? {})) {
    outputs.set(renderPlaceholders(file, values, `${id}/blueprint.json`), loadSampleEvent(eventId));
  }

  const result: ScaffoldResult = { created: [], skipped: [] };
  for (const [file, content] of [...outputs].sort(([a], [b]) => a.localeCompare(b))) {
    const path = join(root, ...file.split('/'));
    (await writeNew(root, realRoot, path, content) ? result.created : result.skipped).push(path);
  }
  return result;
}
