// Lambda API layer actions: PublishLayerVersion, Get / GetByArn / List / Delete layer versions, ListLayers, layer version permissions.
import * as path from 'node:path';
import type { LayerSource, LayerVersionRecord } from '../../functions/layerStore';
import { ServiceError } from '../../service/invocation';
import { LOCAL_CODE_BUCKET, str } from './functionActions';
import { listPage } from './listPages';
import { confinedLocalCodePath, type LocalCodeRoot } from './localCodePaths';
import type { ActionCall, LambdaAction } from './lambdaActionTypes';


/** Content.ZipFile (base64 in JSON), or a local directory or .zip file given as S3Bucket "hot-reload" + S3Key. */
function layerSource(content: Record<string, unknown>, roots: readonly LocalCodeRoot[]): LayerSource {
  const zip = str(content, 'ZipFile');
  const bucket = str(content, 'S3Bucket');
  if ((zip === undefined) === (bucket === undefined)) {
    throw new ServiceError('InvalidParameterValueException', zip === undefined
      ? `Please provide a source for the layer content: ZipFile, or S3Bucket "${LOCAL_CODE_BUCKET}" with S3Key set to a local directory or .zip file.`
      : 'Please provide only one source for the layer content: ZipFile or S3Bucket/S3Key.', { Type: 'User' });
  }
  if (zip !== undefined) return { kind: 'zip', bytes: Buffer.from(zip, 'base64') };
  const key = str(content, 'S3Key');
  if (bucket !== LOCAL_CODE_BUCKET || key === undefined || !path.isAbsolute(key)) {
    throw new ServiceError('InvalidParameterValueException',
      `S3 is not reachable locally: set S3Bucket to "${LOCAL_CODE_BUCKET}" and S3Key to the absolute path of a local directory or .zip file, or send ZipFile.`, { Type: 'User' });
  }
  return { kind: 'path', path: confinedLocalCodePath(key, roots, { Type: 'User' }) };
}

function strings(input: Record<string, unknown>, key: string): string[] | undefined {
  const value = input[key];
  return Array.isArray(value) ? (value as string[]) : undefined;
}

/** The fields every layer version answer has (LayerVersionsListItem); GetLayerVersion adds Content and LayerArn. */
function versionItem(call: ActionCall, version: LayerVersionRecord): Record<string, unknown> {
  return {
    LayerVersionArn: call.store.layers.versionArn(version.layerName, version.version),
    Version: version.version,
    Description: version.description,
    CreatedDate: version.createdDate,
    ...(version.compatibleRuntimes ? { CompatibleRuntimes: version.compatibleRuntimes } : {}),
    ...(version.licenseInfo !== undefined ? { LicenseInfo: version.licenseInfo } : {}),
    ...(version.compatibleArchitectures ? { CompatibleArchitectures: version.compatibleArchitectures } : {}),
  };
}

function versionBody(call: ActionCall, version: LayerVersionRecord): Record<string, unknown> {
  return {
    Content: { Location: version.location, CodeSha256: version.codeSha256, CodeSize: version.codeSize },
    LayerArn: call.store.layers.layerArn(version.layerName),
    ...versionItem(call, version),
  };
}

function layerName(call: ActionCall): string {
  return str(call.input, 'LayerName') ?? '';
}

function versionNumber(call: ActionCall): number {
  return call.input.VersionNumber as number;
}

function filter(call: ActionCall): { runtime?: string; architecture?: string } {
  const runtime = str(call.input, 'CompatibleRuntime');
  const architecture = str(call.input, 'CompatibleArchitecture');
  return { ...(runtime !== undefined ? { runtime } : {}), ...(architecture !== undefined ? { architecture } : {}) };
}

const publishLayerVersion: LambdaAction = async (call) => {
  const content = call.input.Content as Record<string, unknown>;
  const description = str(call.input, 'Description');
  const compatibleRuntimes = strings(call.input, 'CompatibleRuntimes');
  const compatibleArchitectures = strings(call.input, 'CompatibleArchitectures');
  const licenseInfo = str(call.input, 'LicenseInfo');
  const version = await call.store.layers.publish(layerName(call), layerSource(content, call.context.localCodeRoots), {
    ...(description !== undefined ? { description } : {}),
    ...(compatibleRuntimes ? { compatibleRuntimes } : {}),
    ...(compatibleArchitectures ? { compatibleArchitectures } : {}),
    ...(licenseInfo !== undefined ? { licenseInfo } : {}),
  });
  return { body: versionBody(call, version) };
};

const getLayerVersion: LambdaAction = async (call) => ({ body: versionBody(call, call.store.layers.get(layerName(call), versionNumber(call))) });

const getLayerVersionByArn: LambdaAction = async (call) => ({ body: versionBody(call, call.store.layers.getByArn(str(call.input, 'Arn') ?? '')) });

const listLayers: LambdaAction = async (call) => ({
  body: await listPage('Layers', call.store.layers.list(filter(call)), call.input, (latest) => ({
    LayerName: latest.layerName,
    LayerArn: call.store.layers.layerArn(latest.layerName),
    LatestMatchingVersion: versionItem(call, latest),
  })),
});

const listLayerVersions: LambdaAction = async (call) => ({
  body: await listPage('LayerVersions', call.store.layers.versions(layerName(call), filter(call)), call.input, (version) => versionItem(call, version)),
});

const deleteLayerVersion: LambdaAction = async (call) => {
  await call.store.layers.delete(layerName(call), versionNumber(call), (dir) => call.store.usesLayerContent(dir));
  return { status: 204 };
};

const addLayerVersionPermission: LambdaAction = async (call) => {
  const organizationId = str(call.input, 'OrganizationId');
  const added = await call.store.layers.addPermission(layerName(call), versionNumber(call), {
    sid: str(call.input, 'StatementId') ?? '',
    action: str(call.input, 'Action') ?? '',
    principal: str(call.input, 'Principal') ?? '',
    ...(organizationId !== undefined ? { organizationId } : {}),
  }, str(call.input, 'RevisionId'));
  return { body: { Statement: JSON.stringify(added.statement), RevisionId: added.revisionId } };
};

const getLayerVersionPolicy: LambdaAction = async (call) => {
  const { policy, revisionId } = call.store.layers.policy(layerName(call), versionNumber(call));
  return { body: { Policy: policy, RevisionId: revisionId } };
};

const removeLayerVersionPermission: LambdaAction = async (call) => {
  await call.store.layers.removePermission(layerName(call), versionNumber(call), str(call.input, 'StatementId') ?? '', str(call.input, 'RevisionId'));
  return { status: 204 };
};

export const LAYER_ACTIONS: Record<string, LambdaAction> = {
  PublishLayerVersion: publishLayerVersion,
  GetLayerVersion: getLayerVersion,
  GetLayerVersionByArn: getLayerVersionByArn,
  ListLayers: listLayers,
  ListLayerVersions: listLayerVersions,
  DeleteLayerVersion: deleteLayerVersion,
  AddLayerVersionPermission: addLayerVersionPermission,
  GetLayerVersionPolicy: getLayerVersionPolicy,
  RemoveLayerVersionPermission: removeLayerVersionPermission,
};
