// Blueprint manifests (resources/blueprints/<id>/blueprint.json): what each function blueprint or application template offers.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from '../common/errors';
import { packageRoot } from '../common/packageAssets';

export type BlueprintLanguage = 'javascript' | 'typescript' | 'python';
export type BlueprintKind = 'function' | 'application';

export interface BlueprintInfo {
  id: string;
  title: string;
  description: string;
  languages: BlueprintLanguage[];
  kind: BlueprintKind;
  /** Logical id used when the caller gives no function name. */
  defaultFunctionName: string;
}

/** The manifest as shipped: the public info plus what scaffolding needs. */
export interface BlueprintManifest extends BlueprintInfo {
  /** Sample events copied from the event library: target path (placeholders allowed) -> library id. */
  sampleEvents?: Record<string, string>;
  /** Configuration preset substituted into the template ({{memorySize}}, {{timeout}}). */
  preset: { memorySize: number; timeout: number };
}

const LANGUAGES: readonly BlueprintLanguage[] = ['javascript', 'typescript', 'python'];

export function blueprintsDir(): string {
  return join(packageRoot(), 'resources', 'blueprints');
}

function readManifest(id: string): BlueprintManifest {
  const file = join(blueprintsDir(), id, 'blueprint.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as BlueprintManifest;
  const problems = [
    manifest.id !== id && `id '${manifest.id}' differs from its directory '${id}'`,
    !['function', 'application'].includes(manifest.kind) && `kind '${manifest.kind}' is not function or application`,
    !/^[A-Za-z][A-Za-z0-9]*$/.test(manifest.defaultFunctionName ?? '') && 'defaultFunctionName is not a logical id',
    typeof manifest.preset?.memorySize !== 'number' && 'preset.memorySize is missing',
    typeof manifest.preset?.timeout !== 'number' && 'preset.timeout is missing',
    ...manifest.languages.map((l) => !LANGUAGES.includes(l) ? `unknown language '${l}'` : !existsSync(join(blueprintsDir(), id, l)) && `no ${l} directory`),
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0) {
    throw new WorkbenchError('USAGE', `Blueprint manifest ${file} is invalid: ${problems.join('; ')}`);
  }
  return manifest;
}

let manifests: BlueprintManifest[] | undefined;

/**
 * Every shipped blueprint manifest (a directory with blueprint.json; `common/function/<language>` holds the files every
 * function blueprint shares), function blueprints first, then application templates, each sorted by title.
 */
function loadManifests(): BlueprintManifest[] {
  manifests ??= readdirSync(blueprintsDir(), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(blueprintsDir(), entry.name, 'blueprint.json')))
    .map((entry) => readManifest(entry.name))
    .sort((a, b) => (a.kind === b.kind ? a.title.localeCompare(b.title) : a.kind === 'function' ? -1 : 1));
  return manifests;
}

export function findManifest(id: string): BlueprintManifest {
  const manifest = loadManifests().find((m) => m.id === id);
  if (!manifest) {
    throw new WorkbenchError('USAGE', `Unknown blueprint '${id}'`, {
      hint: `Available: ${loadManifests().map((m) => m.id).join(', ')}.`,
    });
  }
  return manifest;
}

/** The public part of each manifest, for pickers. */
export function listBlueprints(): BlueprintInfo[] {
  return loadManifests().map(({ id, title, description, languages, kind, defaultFunctionName }) => ({
    id,
    title,
    description,
    languages: [...languages],
    kind,
    defaultFunctionName,
  }));
}
