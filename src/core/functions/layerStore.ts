// Layers published through the Lambda API: immutable versions with their extracted content, policies, persisted in the state store.
import { randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { checkPackageLimits, PACKAGE_LIMITS } from '../build/packageLimits';
import { ServiceError } from '../service/invocation';
import type { StateStore } from '../state/stateStore';
import type { LayerSpec } from '../template/functionSpec';
import { digestDirectory, digestZip, extractUploadedZip, snapshotDirectory, type CodeDigest } from './codePackage';
import { lambdaTimestamp } from './functionRecords';

/** A layer's content: zip bytes (Content.ZipFile), or a local directory or .zip file. */
export type LayerSource = { kind: 'zip'; bytes: Buffer } | { kind: 'path'; path: string };

export interface LayerStatement {
  sid: string;
  action: string;
  principal: string;
  organizationId?: string;
}

export interface LayerVersionRecord {
  layerName: string;
  version: number;
  description: string;
  createdDate: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  licenseInfo?: string;
  codeSha256: string;
  codeSize: number;
  /** Bytes of the extracted files (Lambda's 250 MB unzipped quota counts these). */
  unzippedSize: number;
  /** The extracted content, mounted at /opt. */
  contentDir: string;
  /** Where the package is on this machine (Content.Location). */
  location: string;
  policy?: { revisionId: string; statements: LayerStatement[] };
}

export interface LayerPublishInput {
  description?: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  licenseInfo?: string;
}

/** CompatibleRuntime / CompatibleArchitecture filters of ListLayers and ListLayerVersions. */
export interface LayerFilter {
  runtime?: string;
  architecture?: string;
}

interface LayerRecord {
  name: string;
  /** Version numbers are never reused, even after every version was deleted. */
  lastVersion: number;
  versions: Map<number, LayerVersionRecord>;
}

interface LayersDocument {
  layers: Record<string, { lastVersion: number; versions: LayerVersionRecord[] }>;
}

const LAYERS_DOCUMENT = 'layers';
/** A layer version ARN of any partition, region and account: the name and the version. */
const LAYER_VERSION_ARN = /^arn:aws[a-zA-Z-]*:lambda:([^:]+):(\d{12}):layer:([a-zA-Z0-9-_]+):([0-9]+)$/;
const LAYER_ARN = /^arn:aws[a-zA-Z-]*:lambda:[^:]+:\d{12}:layer:([a-zA-Z0-9-_]+)$/;
const MAX_FUNCTION_LAYERS = 5;

export class LayerStore {
  private readonly layers = new Map<string, LayerRecord>();

  constructor(
    private readonly state: StateStore,
    private readonly account: { region: string; accountId: string },
  ) {}

  async load(): Promise<void> {
    const saved = (await this.state.read<LayersDocument>(LAYERS_DOCUMENT))?.layers ?? {};
    this.layers.clear();
    for (const [name, layer] of Object.entries(saved)) {
      this.layers.set(name, { name, lastVersion: layer.lastVersion, versions: new Map(layer.versions.map((v) => [v.version, v])) });
    }
  }

  layerArn(name: string): string {
    return `arn:aws:lambda:${this.account.region}:${this.account.accountId}:layer:${name}`;
  }

  versionArn(name: string, version: number): string {
    return `${this.layerArn(name)}:${version}`;
  }

  /** A LayerName as the API takes it: a name or a layer ARN. */
  nameOf(layerName: string): string {
    return LAYER_ARN.exec(layerName)?.[1] ?? layerName;
  }

  /** PublishLayerVersion: the next version number, the content extracted (or copied) into the state directory. */
  async publish(layerName: string, source: LayerSource, input: LayerPublishInput): Promise<LayerVersionRecord> {
    const name = this.nameOf(layerName);
    const layer = this.layers.get(name) ?? { name, lastVersion: 0, versions: new Map<number, LayerVersionRecord>() };
    const version = layer.lastVersion + 1;
    const contentDir = this.state.dir('layers', name, String(version));
    let digest: CodeDigest;
    let location: string;
    try {
      if (source.kind === 'path' && !source.path.toLowerCase().endsWith('.zip')) {
        // Measured before anything is copied: a folder over the quota is refused without filling the disk.
        await assertLayerFits(source.path);
        digest = await digestDirectory(source.path);
        await snapshotDirectory(source.path, contentDir);
        location = source.path;
      } else {
        const bytes = source.kind === 'zip' ? source.bytes : await readFile(source.path);
        digest = digestZip(bytes);
        await extractUploadedZip(bytes, contentDir);
        await assertLayerFits(contentDir);
        location = `${contentDir}.zip`;
        await writeFile(location, bytes);
      }
    } catch (error) {
      await rm(contentDir, { recursive: true, force: true });
      await rm(`${contentDir}.zip`, { force: true });
      throw error;
    }
    const record: LayerVersionRecord = {
      layerName: name,
      version,
      description: input.description ?? '',
      createdDate: lambdaTimestamp(),
      ...(input.compatibleRuntimes?.length ? { compatibleRuntimes: input.compatibleRuntimes } : {}),
      ...(input.compatibleArchitectures?.length ? { compatibleArchitectures: input.compatibleArchitectures } : {}),
      ...(input.licenseInfo !== undefined ? { licenseInfo: input.licenseInfo } : {}),
      codeSha256: digest.sha256,
      codeSize: digest.size,
      unzippedSize: (await checkPackageLimits(0, [{ dir: contentDir, mountPoint: '/opt' }])).unzippedBytes,
      contentDir,
      location,
    };
    layer.lastVersion = version;
    layer.versions.set(version, record);
    this.layers.set(name, layer);
    await this.save();
    return record;
  }

  /** GetLayerVersion: Lambda's ResourceNotFoundException when the layer or the version is not there. */
  get(layerName: string, version: number): LayerVersionRecord {
    assertVersionNumber(version);
    const record = this.layers.get(this.nameOf(layerName))?.versions.get(version);
    if (!record) throw new ServiceError('ResourceNotFoundException', 'The resource you requested does not exist.', { Type: 'User' });
    return record;
  }

  /** GetLayerVersionByArn. */
  getByArn(arn: string): LayerVersionRecord {
    const record = this.find(arn);
    if (!record) throw new ServiceError('ResourceNotFoundException', 'The resource you requested does not exist.', { Type: 'User' });
    return record;
  }

  /** ListLayers: each layer with its latest version that matches the filter, by name. */
  list(filter: LayerFilter): LayerVersionRecord[] {
    return [...this.layers.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .flatMap((layer) => {
        const latest = this.matching(layer, filter)[0];
        return latest ? [latest] : [];
      });
  }

  /** ListLayerVersions: the versions that match the filter, newest first. */
  versions(layerName: string, filter: LayerFilter): LayerVersionRecord[] {
    const layer = this.layers.get(this.nameOf(layerName));
    return layer ? this.matching(layer, filter) : [];
  }

  /**
   * DeleteLayerVersion: the version is gone from the API (deleting one that is not there succeeds, as on Lambda); its
   * content stays while a function or a published version still uses it, as Lambda keeps a copy for them.
   */
  async delete(layerName: string, version: number, inUse: (contentDir: string) => boolean): Promise<void> {
    assertVersionNumber(version);
    const layer = this.layers.get(this.nameOf(layerName));
    const record = layer?.versions.get(version);
    if (!layer || !record) return;
    layer.versions.delete(version);
    await this.save();
    if (!inUse(record.contentDir)) {
      await rm(record.contentDir, { recursive: true, force: true });
      await rm(`${record.contentDir}.zip`, { force: true });
    }
  }

  /** AddLayerVersionPermission: a statement of the version's resource policy; resolves with the statement and the policy's RevisionId. */
  async addPermission(layerName: string, version: number, statement: LayerStatement, revisionId: string | undefined): Promise<{ statement: Record<string, unknown>; revisionId: string }> {
    const record = this.versionForPolicy(layerName, version);
    const policy = record.policy ?? { revisionId: randomUUID(), statements: [] };
    if (policy.statements.some((existing) => existing.sid === statement.sid)) {
      throw new ServiceError('ResourceConflictException',
        `The statement id (${statement.sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`, { Type: 'User' });
    }
    assertPolicyRevision(record, revisionId);
    record.policy = { revisionId: randomUUID(), statements: [...policy.statements, statement] };
    await this.save();
    return { statement: policyStatement(this.versionArn(record.layerName, record.version), statement), revisionId: record.policy.revisionId };
  }

  /** GetLayerVersionPolicy: the policy document (JSON text) and its RevisionId. */
  policy(layerName: string, version: number): { policy: string; revisionId: string } {
    const record = this.versionForPolicy(layerName, version);
    if (!record.policy || record.policy.statements.length === 0) {
      throw new ServiceError('ResourceNotFoundException', 'No policy is associated with the given resource.', { Type: 'User' });
    }
    const document = { Version: '2012-10-17', Id: 'default', Statement: record.policy.statements.map((s) => policyStatement(this.versionArn(record.layerName, record.version), s)) };
    return { policy: JSON.stringify(document), revisionId: record.policy.revisionId };
  }

  async removePermission(layerName: string, version: number, sid: string, revisionId: string | undefined): Promise<void> {
    const record = this.versionForPolicy(layerName, version);
    assertPolicyRevision(record, revisionId);
    const statements = record.policy?.statements ?? [];
    if (!statements.some((s) => s.sid === sid)) {
      throw new ServiceError('ResourceNotFoundException', `Statement ${sid} is not found in resource policy.`, { Type: 'User' });
    }
    record.policy = { revisionId: randomUUID(), statements: statements.filter((s) => s.sid !== sid) };
    await this.save();
  }

  /**
   * A function's Layers (CreateFunction, UpdateFunctionConfiguration) as Lambda checks them: at most 5, each a layer version
   * of this endpoint, no two versions of one layer. Resolves with the layers to mount, in order.
   */
  resolve(arns: string[]): LayerSpec[] {
    if (arns.length > MAX_FUNCTION_LAYERS) {
      throw new ServiceError('InvalidParameterValueException', `Cannot reference more than ${MAX_FUNCTION_LAYERS} layers.`, { Type: 'User' });
    }
    const seen = new Map<string, string>();
    return arns.map((arn) => {
      const record = this.find(arn);
      if (!record) throw new ServiceError('InvalidParameterValueException', `Layer version ${arn} does not exist.`, { Type: 'User' });
      const layerArn = arn.slice(0, arn.lastIndexOf(':'));
      const earlier = seen.get(layerArn);
      if (earlier !== undefined) {
        throw new ServiceError('InvalidParameterValueException',
          `Two different versions of the same layer are not allowed to be referenced in the same function. ${earlier} and ${arn} are versions of the same layer.`, { Type: 'User' });
      }
      seen.set(layerArn, arn);
      return { ref: arn, contentDir: record.contentDir, codeSize: record.codeSize };
    });
  }

  /** The stored version a layer version ARN names (template functions' Layers resolve through this at launch). */
  find(arn: string): LayerVersionRecord | undefined {
    const match = LAYER_VERSION_ARN.exec(arn);
    return match && this.isOurs(match) ? this.layers.get(match[3] as string)?.versions.get(Number(match[4])) : undefined;
  }

  /** The function's code and its layers within Lambda's 250 MB unzipped quota, else Lambda's InvalidParameterValueException. */
  async assertFunctionFits(codeDir: string | undefined, layers: readonly LayerSpec[]): Promise<void> {
    const contents = [
      ...(codeDir ? [{ dir: codeDir, mountPoint: '/var/task' }] : []),
      ...layers.flatMap((layer) => (layer.contentDir ? [{ dir: layer.contentDir, mountPoint: '/opt' }] : [])),
    ];
    const { unzippedBytes } = await checkPackageLimits(0, contents);
    if (unzippedBytes > PACKAGE_LIMITS.unzippedWithLayersBytes) {
      throw new ServiceError('InvalidParameterValueException',
        `Function code combined with layers exceeds the maximum allowed size of ${PACKAGE_LIMITS.unzippedWithLayersBytes} bytes. The actual size is ${unzippedBytes} bytes.`, { Type: 'User' });
    }
  }

  private isOurs(match: RegExpExecArray): boolean {
    return match[1] === this.account.region && match[2] === this.account.accountId;
  }

  private matching(layer: LayerRecord, filter: LayerFilter): LayerVersionRecord[] {
    return [...layer.versions.values()]
      .filter((v) => filter.runtime === undefined || (v.compatibleRuntimes ?? []).includes(filter.runtime))
      .filter((v) => filter.architecture === undefined || (v.compatibleArchitectures ?? []).includes(filter.architecture))
      .sort((a, b) => b.version - a.version);
  }

  /** The version a policy action names; Lambda words its absence with the version's ARN. */
  private versionForPolicy(layerName: string, version: number): LayerVersionRecord {
    const name = this.nameOf(layerName);
    const record = this.layers.get(name)?.versions.get(version);
    if (!record) throw new ServiceError('ResourceNotFoundException', `Layer version ${this.versionArn(name, version)} does not exist.`, { Type: 'User' });
    return record;
  }

  private save(): Promise<void> {
    const layers: LayersDocument['layers'] = {};
    for (const layer of this.layers.values()) layers[layer.name] = { lastVersion: layer.lastVersion, versions: [...layer.versions.values()] };
    return this.state.write(LAYERS_DOCUMENT, { layers } satisfies LayersDocument);
  }
}

/** A layer's own content is held to the 250 MB unzipped quota at publishing. */
async function assertLayerFits(dir: string): Promise<void> {
  const { unzippedBytes } = await checkPackageLimits(0, [{ dir, mountPoint: '/opt' }]);
  if (unzippedBytes > PACKAGE_LIMITS.unzippedWithLayersBytes) {
    throw new ServiceError('InvalidParameterValueException', `Unzipped size must be smaller than ${PACKAGE_LIMITS.unzippedWithLayersBytes} bytes`, { Type: 'User' });
  }
}

function assertVersionNumber(version: number): void {
  if (version < 1) throw new ServiceError('InvalidParameterValueException', 'Layer Version Cannot be less than 1', { Type: 'User' });
}

function assertPolicyRevision(record: LayerVersionRecord, revisionId: string | undefined): void {
  if (revisionId !== undefined && revisionId !== record.policy?.revisionId) {
    throw new ServiceError('PreconditionFailedException',
      'The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id', { Type: 'User' });
  }
}

/** A policy statement as Lambda writes it: an account id principal becomes the account's root ARN. */
function policyStatement(resource: string, statement: LayerStatement): Record<string, unknown> {
  const principal = /^\d{12}$/.test(statement.principal) ? `arn:aws:iam::${statement.principal}:root` : statement.principal;
  return {
    Sid: statement.sid,
    Effect: 'Allow',
    Principal: principal === '*' ? '*' : { AWS: principal },
    Action: statement.action,
    Resource: resource,
    ...(statement.organizationId ? { Condition: { StringEquals: { 'aws:PrincipalOrgID': statement.organizationId } } } : {}),
  };
}
