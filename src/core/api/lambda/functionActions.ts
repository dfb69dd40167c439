// Lambda API function actions: Create / Get / List / UpdateFunctionCode / UpdateFunctionConfiguration / Delete, PublishVersion, ListVersionsByFunction.
import * as path from 'node:path';
import type { CodeSource, FunctionStore } from '../../functions/functionStore';
import type { FunctionRecord } from '../../functions/functionRecords';
import { parseFunctionRef } from '../../service/functionRef';
import { ServiceError } from '../../service/invocation';
import { environmentProblem } from '../../template/environmentRules';
import { defaultFunctionSpec, type FunctionSpec } from '../../template/functionSpec';
import { functionConfiguration, getFunctionResponse, type FunctionView } from '../functionConfiguration';
import type { ActionCall, LambdaAction } from './lambdaActionTypes';
import { listPage } from './listPages';
import { confinedLocalCodePath, type LocalCodeRoot } from './localCodePaths';

/** Code.S3Bucket that names a local directory or .zip file in S3Key (LocalStack's convention), since S3 is not reachable locally. */
export const LOCAL_CODE_BUCKET = 'hot-reload';

type Input = Record<string, unknown>;

export function str(input: Input, key: string): string | undefined {
  const value = input[key];
  return typeof value === 'string' ? value : undefined;
}

function num(input: Input, key: string): number | undefined {
  const value = input[key];
  return typeof value === 'number' ? value : undefined;
}

function obj(input: Input, key: string): Input | undefined {
  const value = input[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Input) : undefined;
}

/** The function a FunctionName (name, ARN, name:qualifier) and Qualifier name. */
export function functionTarget(call: ActionCall): { record: FunctionRecord; qualifier: string | undefined; store: FunctionStore } {
  const ref = parseFunctionRef(str(call.input, 'FunctionName') ?? '', str(call.input, 'Qualifier'));
  return { record: call.store.require(ref.name, ref.qualifier), qualifier: ref.qualifier, store: call.store };
}

/** $LATEST, a published version, or the version an alias points at, ready to render. */
async function functionView(store: FunctionStore, record: FunctionRecord, qualifier: string | undefined): Promise<FunctionView> {
  const version = store.versionOf(record, qualifier);
  const published = version === '$LATEST' ? undefined : record.versions.get(version);
  if (published) {
    return { record, spec: published.spec, version, published, digest: { sha256: published.codeSha256, size: published.codeSize } };
  }
  return { record, spec: store.spec(record.name), version, digest: await store.latestDigest(record) };
}

async function configurationOf(call: ActionCall, record: FunctionRecord, qualifier: string | undefined): Promise<Record<string, unknown>> {
  return functionConfiguration(await functionView(call.store, record, qualifier), call.context.account);
}

/** The configuration fields a request sets, as a FunctionSpec patch (CreateFunction and UpdateFunctionConfiguration). */
function configurationPatch(input: Input): Partial<FunctionSpec> {
  const patch: Partial<FunctionSpec> = {};
  const runtime = str(input, 'Runtime');
  if (runtime !== undefined) patch.runtime = runtime;
  const handler = str(input, 'Handler');
  if (handler !== undefined) patch.handler = handler;
  const timeout = num(input, 'Timeout');
  if (timeout !== undefined) patch.timeoutSeconds = timeout;
  const memory = num(input, 'MemorySize');
  if (memory !== undefined) patch.memorySizeMB = memory;
  const variables = obj(obj(input, 'Environment') ?? {}, 'Variables');
  if (obj(input, 'Environment')) {
    patch.environment = Object.fromEntries(Object.entries(variables ?? {}).map(([k, v]) => [k, String(v)]));
    const problem = environmentProblem(patch.environment);
    if (problem) throw new ServiceError('InvalidParameterValueException', problem);
  }
  const storage = num(obj(input, 'EphemeralStorage') ?? {}, 'Size');
  if (storage !== undefined) patch.ephemeralStorageMB = storage;
  const tracing = str(obj(input, 'TracingConfig') ?? {}, 'Mode');
  if (tracing === 'Active' || tracing === 'PassThrough') patch.tracing = tracing;
  const architectures = input.Architectures;
  if (Array.isArray(architectures) && (architectures[0] === 'x86_64' || architectures[0] === 'arm64')) patch.architecture = architectures[0];
  if (Array.isArray(input.Layers)) patch.layers = (input.Layers as string[]).map((ref) => ({ ref }));
  const deadLetter = obj(input, 'DeadLetterConfig');
  if (deadLetter) patch.deadLetterTarget = str(deadLetter, 'TargetArn') || undefined;
  const logging = obj(input, 'LoggingConfig');
  if (logging) {
    patch.logging = {
      format: str(logging, 'LogFormat') === 'JSON' ? 'JSON' : 'Text',
      ...(str(logging, 'ApplicationLogLevel') ? { applicationLogLevel: str(logging, 'ApplicationLogLevel') } : {}),
      ...(str(logging, 'SystemLogLevel') ? { systemLogLevel: str(logging, 'SystemLogLevel') } : {}),
      ...(str(logging, 'LogGroup') ? { logGroup: str(logging, 'LogGroup') } : {}),
    };
  }
  const image = obj(input, 'ImageConfig');
  if (image) {
    patch.imageConfig = {
      ...(Array.isArray(image.Command) ? { command: image.Command as string[] } : {}),
      ...(Array.isArray(image.EntryPoint) ? { entryPoint: image.EntryPoint as string[] } : {}),
      ...(str(image, 'WorkingDirectory') ? { workingDirectory: str(image, 'WorkingDirectory') } : {}),
    };
  }
  if (patch.memorySizeMB !== undefined && patch.memorySizeMB > 10240) {
    throw new ServiceError('InvalidParameterValueException', `'MemorySize' value failed to satisfy constraint: Member must have value less than or equal to 10240`);
  }
  if (patch.timeoutSeconds !== undefined && patch.timeoutSeconds > 900) {
    throw new ServiceError('InvalidParameterValueException', `'Timeout' value failed to satisfy constraint: Member must have value less than or equal to 900`);
  }
  return patch;
}

/** Code from ZipFile (base64 in JSON), ImageUri, or a local directory / .zip given as S3Bucket "hot-reload" + S3Key. */
function codeSource(code: Input, roots: readonly LocalCodeRoot[]): CodeSource {
  const zip = str(code, 'ZipFile');
  const imageUri = str(code, 'ImageUri');
  const bucket = str(code, 'S3Bucket');
  const given = [zip !== undefined, imageUri !== undefined, bucket !== undefined].filter(Boolean).length;
  if (given !== 1) {
    throw new ServiceError('InvalidParameterValueException', given === 0
      ? 'Please provide a source for function code: ZipFile, ImageUri, or S3Bucket "hot-reload" with S3Key set to a local directory or .zip file.'
      : 'Please provide only one source for function code: ZipFile, ImageUri or S3Bucket/S3Key.');
  }
  if (zip !== undefined) return { kind: 'zip', bytes: Buffer.from(zip, 'base64') };
  if (imageUri !== undefined) return { kind: 'image', imageUri };
  const key = str(code, 'S3Key');
  if (bucket !== LOCAL_CODE_BUCKET || key === undefined || !path.isAbsolute(key)) {
    throw new ServiceError('InvalidParameterValueException',
      `S3 is not reachable locally: set S3Bucket to "${LOCAL_CODE_BUCKET}" and S3Key to the absolute path of a local directory or .zip file, or send ZipFile.`);
  }
  return { kind: 'path', path: confinedLocalCodePath(key, roots) };
}

const createFunction: LambdaAction = async (call) => {
  const { input } = call;
  const name = parseFunctionRef(str(input, 'FunctionName') ?? '').name;
  const code = codeSource(obj(input, 'Code') ?? {}, call.context.localCodeRoots);
  const packageType = str(input, 'PackageType') ?? 'Zip';
  if (packageType !== (code.kind === 'image' ? 'Image' : 'Zip')) {
    throw new ServiceError('InvalidParameterValueException', packageType === 'Image'
      ? 'Please provide ImageUri when creating a function with packageType Image.'
      : 'Please do not provide ImageUri when creating a function with packageType Zip.');
  }
  const patch = configurationPatch(input);
  if (packageType === 'Zip' && (patch.runtime === undefined || patch.handler === undefined)) {
    throw new ServiceError('InvalidParameterValueException', 'Runtime and Handler are mandatory parameters for functions created with deployment packages.');
  }
  const spec = defaultFunctionSpec(name, packageType as FunctionSpec['packageType'], patch);
  const tags = obj(input, 'Tags') as Record<string, string> | undefined;
  const store = call.store;
  const record = await store.create(spec, code, { description: str(input, 'Description') ?? '', role: str(input, 'Role') ?? '', tags: tags ?? {} });
  const version = input.Publish === true ? (await store.publishVersion(record.name, {})).version : undefined;
  return { body: await configurationOf(call, record, version) };
};

const getFunction: LambdaAction = async (call) => {
  const { record, qualifier, store } = functionTarget(call);
  const view = await functionView(store, record, qualifier);
  return { body: getFunctionResponse(view, call.context.account, store.spec(record.name).reservedConcurrency) };
};

const getFunctionConfiguration: LambdaAction = async (call) => {
  const { record, qualifier } = functionTarget(call);
  return { body: await configurationOf(call, record, qualifier) };
};

const listFunctions: LambdaAction = async (call) => {
  const store = call.store;
  const all = call.input.FunctionVersion === 'ALL';
  const entries: Array<[FunctionRecord, string | undefined]> = [];
  for (const record of store.list().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    entries.push([record, undefined]);
    if (all) for (const version of record.versions.keys()) entries.push([record, version]);
  }
  return { body: await listPage('Functions', entries, call.input, ([record, version]) => configurationOf(call, record, version)) };
};

const updateFunctionCode: LambdaAction = async (call) => {
  const { record, store } = functionTarget(call);
  const code = codeSource(call.input, call.context.localCodeRoots);
  if (call.input.DryRun === true) return { body: await configurationOf(call, record, undefined) };
  await store.updateCode(record.name, code, str(call.input, 'RevisionId'));
  const version = call.input.Publish === true ? (await store.publishVersion(record.name, {})).version : undefined;
  return { body: await configurationOf(call, record, version) };
};

const updateFunctionConfiguration: LambdaAction = async (call) => {
  const { record, store } = functionTarget(call);
  const patch = configurationPatch(call.input);
  const meta = { description: str(call.input, 'Description'), role: str(call.input, 'Role') };
  await store.updateConfiguration(record.name, patch, meta, str(call.input, 'RevisionId'));
  return { body: await configurationOf(call, record, undefined) };
};

const deleteFunction: LambdaAction = async (call) => {
  const { record, qualifier, store } = functionTarget(call);
  await store.delete(record.name, qualifier);
  return { status: 204 };
};

const publishVersion: LambdaAction = async (call) => {
  const { record, store } = functionTarget(call);
  const input = { codeSha256: str(call.input, 'CodeSha256'), description: str(call.input, 'Description'), revisionId: str(call.input, 'RevisionId') };
  const published = await store.publishVersion(record.name, input);
  return { body: await configurationOf(call, record, published.version) };
};

const listVersionsByFunction: LambdaAction = async (call) => {
  const { record } = functionTarget(call);
  const versions = [undefined, ...[...record.versions.keys()].sort((a, b) => Number(a) - Number(b))];
  return { body: await listPage('Versions', versions, call.input, (version) => configurationOf(call, record, version)) };
};

export const FUNCTION_ACTIONS: Record<string, LambdaAction> = {
  CreateFunction: createFunction,
  GetFunction: getFunction,
  GetFunctionConfiguration: getFunctionConfiguration,
  ListFunctions: listFunctions,
  UpdateFunctionCode: updateFunctionCode,
  UpdateFunctionConfiguration: updateFunctionConfiguration,
  DeleteFunction: deleteFunction,
  PublishVersion: publishVersion,
  ListVersionsByFunction: listVersionsByFunction,
};
