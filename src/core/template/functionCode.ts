// Where a function's code comes from: a local folder (CodeUri / Code), inline code written to disk, or a container image.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import leven from 'leven';
import type { FunctionSpec } from './functionSpec';
import { isNodeRuntime, isPythonRuntime } from './lambdaRuntimes';
import type { PropertyReader } from './propertyReader';
import { templateLocalPath, type TemplatePathContext } from './templatePaths';

export type FunctionCode = Pick<FunctionSpec, 'packageType' | 'codeDir' | 'imageUri' | 'imageConfig' | 'codeLocation'>;

export interface FunctionCodeInput extends TemplatePathContext {
  reader: PropertyReader;
  isSam: boolean;
  runtime?: string;
  metadata: Record<string, unknown>;
  /** Nothing is written (inline code is not put on disk): for validation as the user types. */
  readOnly?: boolean;
}

const S3_HINT = 'Point CodeUri (or Code) at the local folder that holds the function code; '
  + 'S3 artifacts, such as those in templates written by `sam package`, cannot run locally.';

/** The folder that inline code (ZipFile / InlineCode) of a function is written to: stable, so breakpoints and watchers keep working. */
export function inlineCodeDir(templateDir: string, logicalId: string): string {
  return path.join(templateDir, '.lambda-workbench', 'inline', logicalId);
}

/** Writes inline code as index.js / index.py, as Lambda does, touching the file only when its content changed. */
async function writeInlineCode(input: FunctionCodeInput, property: string, code: string): Promise<string> {
  const { reader } = input;
  const extension = isNodeRuntime(input.runtime) ? 'js' : isPythonRuntime(input.runtime) ? 'py' : undefined;
  if (!extension) {
    return reader.fail(property, `${reader.logicalId} has inline code, which Lambda supports only for nodejs and python runtimes (Runtime is '${input.runtime}').`);
  }
  const dir = inlineCodeDir(input.templateDir, reader.logicalId);
  if (input.readOnly) return dir;
  const file = path.join(dir, `index.${extension}`);
  const previous = await readFile(file, 'utf8').catch(() => undefined);
  if (previous !== code) {
    await mkdir(dir, { recursive: true });
    await writeFile(file, code);
  }
  return dir;
}

function readImage(input: FunctionCodeInput, imageUriPath: string | string[]): FunctionCode {
  const { reader, metadata } = input;
  let imageUri = reader.text(imageUriPath);
  if (!imageUri && typeof metadata.Dockerfile === 'string') {
    const tag = typeof metadata.DockerTag === 'string' ? metadata.DockerTag : 'latest';
    imageUri = `${reader.logicalId.toLowerCase()}:${tag}`;
    reader.warn(`${reader.logicalId} has no ImageUri; it will run the local image ${imageUri}, built from ${metadata.Dockerfile}.`);
  }
  const command = reader.textList(['ImageConfig', 'Command']);
  const entryPoint = reader.textList(['ImageConfig', 'EntryPoint']);
  const workingDirectory = reader.text(['ImageConfig', 'WorkingDirectory']);
  const hasConfig = command !== undefined || entryPoint !== undefined || workingDirectory !== undefined;
  return {
    packageType: 'Image',
    codeDir: input.templateDir,
    ...(imageUri ? { imageUri } : {}),
    ...(hasConfig ? { imageConfig: { ...(command ? { command } : {}), ...(entryPoint ? { entryPoint } : {}), ...(workingDirectory ? { workingDirectory } : {}) } } : {}),
  };
}

/** A local code folder (or .zip); one that does not exist is named at load, and again by an invocation (FunctionBuilder). */
function localCode(input: FunctionCodeInput, property: string, uri: string): FunctionCode {
  const { reader } = input;
  if (/^s3:\/\//i.test(uri)) {
    return reader.fail(property, `${reader.logicalId} has its code in S3 (${uri}), which cannot run locally.`, S3_HINT);
  }
  const codeDir = templateLocalPath(reader, property, uri, input);
  const codeLocation = reader.location(property);
  if (!existsSync(codeDir)) {
    const nearest = nearestFolder(input.templateDir, uri);
    reader.warnWithFix(
      `${codeLocation.file}${codeLocation.line ? `:${codeLocation.line}` : ''}: ${property} of ${reader.logicalId} is ${uri}, but ${codeDir} does not exist; invoking it fails until it does.`,
      nearest === undefined ? undefined : reader.replaceValue(property, nearest),
    );
  }
  return { packageType: 'Zip', codeDir, codeLocation };
}

/**
 * For a code folder that does not exist, the existing folder beside it whose name is nearest (a typo: scr/ for src/),
 * written as `uri` is (same parent, trailing slash kept); undefined when no folder there is close.
 */
function nearestFolder(templateDir: string, uri: string): string | undefined {
  const trimmed = uri.replace(/[\\/]+$/, '');
  const name = path.basename(trimmed);
  if (name === '' || /\.zip$/i.test(name)) return undefined;
  let entries;
  try {
    entries = readdirSync(path.resolve(templateDir, path.dirname(trimmed)), { withFileTypes: true });
  } catch {
    return undefined; // The parent folder is missing too: nothing near to offer.
  }
  // A transposition (scr for src) is two edits.
  const limit = Math.max(2, Math.floor(name.length / 2));
  const best = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
    .map((entry) => ({ name: entry.name, edits: leven(name, entry.name) }))
    .filter((candidate) => candidate.edits <= limit)
    .sort((a, b) => a.edits - b.edits || a.name.localeCompare(b.name))[0];
  if (!best) return undefined;
  return `${trimmed.slice(0, trimmed.length - name.length)}${best.name}${uri.slice(trimmed.length)}`;
}

/** CDK synthesizes code as an S3 asset and records the local copy in Metadata (`aws:asset:path`, relative to cdk.out). */
export function cdkAssetDir(reader: PropertyReader, metadata: Record<string, unknown>, context: TemplatePathContext, property: string): string | undefined {
  const assetPath = metadata['aws:asset:path'];
  const assetProperty = metadata['aws:asset:property'];
  if (typeof assetPath !== 'string' || (assetProperty !== undefined && assetProperty !== property)) return undefined;
  return templateLocalPath(reader, property, assetPath, context);
}

async function readSamCode(input: FunctionCodeInput): Promise<FunctionCode> {
  const { reader } = input;
  const asset = cdkAssetDir(reader, input.metadata, input, 'CodeUri');
  if (asset) return { packageType: 'Zip', codeDir: asset };
  const inline = reader.text('InlineCode');
  if (inline !== undefined) return { packageType: 'Zip', codeDir: await writeInlineCode(input, 'InlineCode', inline) };
  const codeUri = reader.get('CodeUri');
  if (codeUri !== null && typeof codeUri === 'object' && !Array.isArray(codeUri) && 'Bucket' in codeUri) {
    return reader.fail('CodeUri', `${reader.logicalId} has its code in S3 (CodeUri with Bucket and Key), which cannot run locally.`, S3_HINT);
  }
  return localCode(input, 'CodeUri', reader.text('CodeUri') ?? '.');
}

async function readLambdaCode(input: FunctionCodeInput): Promise<FunctionCode> {
  const { reader } = input;
  const asset = cdkAssetDir(reader, input.metadata, input, 'Code');
  if (asset) return { packageType: 'Zip', codeDir: asset };
  const code = reader.get('Code');
  if (typeof code === 'string') return localCode(input, 'Code', code);
  const zipFile = reader.text(['Code', 'ZipFile']);
  if (zipFile !== undefined) return { packageType: 'Zip', codeDir: await writeInlineCode(input, 'Code', zipFile) };
  const bucket = reader.text(['Code', 'S3Bucket']);
  if (bucket !== undefined) {
    return reader.fail('Code', `${reader.logicalId} has its code in S3 (s3://${bucket}/${reader.text(['Code', 'S3Key']) ?? ''}), which cannot run locally.`, S3_HINT);
  }
  return reader.fail('Code', `${reader.logicalId} has no Code: set Code to a local folder, or Code.ZipFile to inline code.`);
}

export async function readFunctionCode(input: FunctionCodeInput): Promise<FunctionCode> {
  const { reader, isSam } = input;
  const packageType = reader.text('PackageType') ?? (!isSam && reader.text(['Code', 'ImageUri']) ? 'Image' : 'Zip');
  if (packageType !== 'Zip' && packageType !== 'Image') {
    return reader.fail('PackageType', `PackageType of ${reader.logicalId} is '${packageType}', but it must be Zip or Image.`);
  }
  if (packageType === 'Image') return readImage(input, isSam ? 'ImageUri' : ['Code', 'ImageUri']);
  return isSam ? readSamCode(input) : readLambdaCode(input);
}
