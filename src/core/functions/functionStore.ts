// The control plane's functions: template and API-made functions, published versions with code snapshots, aliases, persisted state.
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { WorkbenchError } from '../common/errors';
import { Emitter } from '../common/events';
import type { FunctionRegistry } from '../service/functionRegistry';
import { functionArn } from '../service/functionRef';
import { ServiceError } from '../service/invocation';
import { StateStore, stateRoot } from '../state/stateStore';
import type { FunctionSpec, FunctionUrlSpec, VersionRef } from '../template/functionSpec';
import { digestDirectory, digestImage, digestZip, extractUploadedZip, snapshotDirectory, type CodeDigest } from './codePackage';
import {
  lambdaTimestamp,
  type AliasRecord,
  type EventInvokeConfigRecord,
  type FunctionRecord,
  type ProvisionedRecord,
  type UrlRecord,
  type VersionRecord,
} from './functionRecords';
import { LayerStore } from './layerStore';
import { persistFunction, restoreFunction, type PersistedFunction } from './persistedFunction';

/** Where new code comes from: zip bytes (ZipFile), a local directory or zip file, or a container image. */
export type CodeSource = { kind: 'zip'; bytes: Buffer } | { kind: 'path'; path: string } | { kind: 'image'; imageUri: string };

export interface FunctionStoreOptions {
  stateDir: string;
  region: string;
  accountId: string;
  /** The folder $LATEST runs from (the build output for functions built with esbuild). */
  latestCodeDir(spec: FunctionSpec): Promise<string>;
  /** A function's code or configuration changed: its warm environments of `version` must not serve again. */
  onDidChange(functionName: string): Promise<void>;
}

/** The function URL servers: serve a URL config from the moment it is created until it is deleted. */
export interface UrlHost {
  /** Starts serving name[:qualifier] (nothing when it is served already); resolves with its local URL. */
  open(functionName: string, qualifier: string): Promise<string>;
  close(functionName: string, qualifier: string): Promise<void>;
}

export interface ResolvedTarget {
  record: FunctionRecord;
  /** The configuration and code that run: $LATEST's, or the published version's snapshot. */
  spec: FunctionSpec;
  version: string;
  invokedArn: string;
}

interface StateDocument {
  functions: Record<string, PersistedFunction>;
}

const STATE_DOCUMENT = 'lambda';
const VERSION_NUMBER = /^[0-9]+$/;

export class FunctionStore {
  private readonly records = new Map<string, FunctionRecord>();
  private readonly transitions: Array<() => void> = [];
  readonly state: StateStore;
  /** Set by the function URL servers while they run. */
  urlHost: UrlHost | undefined;
  /** Layers published through the API, kept in the same state directory. */
  readonly layers: LayerStore;
  private readonly changes = new Emitter<void>();
  /** Fires whenever the state is saved: a function, version, alias or setting changed (the extension's view follows it). */
  readonly onDidChange = this.changes.event;

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly options: FunctionStoreOptions,
  ) {
    this.state = new StateStore(stateRoot(options.stateDir));
    this.layers = new LayerStore(this.state, { region: options.region, accountId: options.accountId });
  }

  /**
   * Reads the persisted state: API-made functions come back, template functions get back their versions, aliases and API
   * settings. Every AutoPublishAlias publishes a version of the current code (the existing one when unchanged) and points
   * the alias at it, as `sam deploy` does. Resolves with what could not be restored.
   */
  async load(): Promise<string[]> {
    const warnings: string[] = [];
    await this.layers.load();
    const saved = (await this.state.read<StateDocument>(STATE_DOCUMENT))?.functions ?? {};
    for (const spec of this.registry.list()) {
      const persisted = saved[spec.functionName];
      const record = persisted?.origin === 'template' ? restoreFunction(persisted, spec) : newRecord(spec.functionName, 'template', this.options.accountId);
      applyTemplateUrl(record, spec);
      if (Object.keys(record.overrides).length > 0) {
        const updated: FunctionSpec = { ...spec, ...record.overrides };
        // Code given through the API replaces the template's, build included.
        if (record.overrides.codeDir !== undefined) delete updated.build;
        this.registry.put(updated);
      }
      this.records.set(spec.functionName, record);
    }
    for (const [name, persisted] of Object.entries(saved)) {
      if (this.records.has(name)) continue;
      if (persisted.origin === 'template' || !persisted.spec) {
        warnings.push(`${name}: saved versions and settings belong to a function that is no longer in the template; they are ignored.`);
        continue;
      }
      this.registry.put(persisted.spec);
      this.records.set(name, restoreFunction(persisted, persisted.spec));
    }
    for (const spec of this.registry.list()) {
      const missingLayer = this.unknownLayer(spec);
      if (missingLayer) warnings.push(missingLayer.describe());
      let published = new Map<string, string>();
      try {
        published = await this.applyTemplateVersions(spec);
      } catch (error) {
        warnings.push(`${spec.functionName}: AWS::Lambda::Version / Alias resources not applied: ${(error as Error).message}`);
      }
      await this.applyAutoPublishAlias(spec, warnings);
      this.applyTemplateEventInvokeConfigs(spec, published, warnings);
    }
    await this.save();
    return warnings;
  }

  /**
   * The template's AWS::Lambda::Version resources publish the current code (unchanged code keeps its version) and its
   * AWS::Lambda::Alias resources point at them, as a deployment of the stack does.
   */
  private async applyTemplateVersions(spec: FunctionSpec): Promise<Map<string, string>> {
    const published = new Map<string, string>();
    if (!spec.versions?.length && !spec.aliases?.length) return published;
    const record = this.require(spec.functionName);
    for (const version of spec.versions ?? []) {
      published.set(version.logicalId, (await this.publishVersion(spec.functionName, { description: version.description })).version);
    }
    const versionOf = (ref: VersionRef): string => {
      if ('version' in ref) return ref.version;
      const version = published.get(ref.versionResource);
      if (version === undefined) throw new Error(`${ref.versionResource} is not an AWS::Lambda::Version of ${spec.functionName}`);
      return version;
    };
    for (const alias of spec.aliases ?? []) {
      const functionVersion = versionOf(alias.version);
      this.assertVersionExists(record, functionVersion);
      const weights = Object.fromEntries((alias.weights ?? []).map((entry) => [versionOf(entry.version), entry.weight]));
      if (Object.keys(weights).length > 0) this.assertWeights(record, functionVersion, weights);
      const existing = record.aliases.get(alias.name);
      record.aliases.set(alias.name, {
        name: alias.name,
        functionVersion,
        description: alias.description ?? '',
        revisionId: existing?.functionVersion === functionVersion ? existing.revisionId : randomUUID(),
        ...(Object.keys(weights).length > 0 ? { additionalVersionWeights: weights } : {}),
      });
    }
    return published;
  }

  /** SAM's AutoPublishAlias (published now) with its ProvisionedConcurrencyConfig (started by the front end). */
  private async applyAutoPublishAlias(spec: FunctionSpec, warnings: string[]): Promise<void> {
    if (!spec.autoPublishAlias) {
      if (spec.provisionedConcurrency) warnings.push(`${spec.functionName}: ProvisionedConcurrencyConfig needs AutoPublishAlias; not started.`);
      return;
    }
    try {
      await this.publishAutoAlias(spec.functionName);
    } catch (error) {
      warnings.push(`${spec.functionName}: AutoPublishAlias ${spec.autoPublishAlias} not published: ${(error as Error).message}`);
      return;
    }
    if (spec.provisionedConcurrency) {
      this.require(spec.functionName).provisioned.set(spec.autoPublishAlias, newProvisioned(spec.autoPublishAlias, spec.provisionedConcurrency));
    }
  }

  /**
   * The template's EventInvokeConfigs, each on its qualifier ($LATEST, a version the template published, an alias), as a
   * deployment applies them; a config put through the API on the same qualifier stays. `published`: Version resource -> number.
   */
  private applyTemplateEventInvokeConfigs(spec: FunctionSpec, published: Map<string, string>, warnings: string[]): void {
    const record = this.require(spec.functionName);
    for (const [qualifier, config] of record.eventInvokeConfigs) if (config.fromTemplate) record.eventInvokeConfigs.delete(qualifier);
    const declared = [
      ...(spec.eventInvokeConfig ? [{ qualifier: { version: '$LATEST' } as VersionRef, config: spec.eventInvokeConfig }] : []),
      ...(spec.qualifiedEventInvokeConfigs ?? []),
    ];
    for (const { qualifier: ref, config } of declared) {
      const qualifier = 'version' in ref ? ref.version : published.get(ref.versionResource);
      if (qualifier === undefined || (qualifier !== '$LATEST' && !record.versions.has(qualifier) && !record.aliases.has(qualifier))) {
        warnings.push(`${spec.functionName}: EventInvokeConfig of ${'version' in ref ? ref.version : ref.versionResource} not applied: ` +
          `${spec.functionName} has no such version or alias (an AutoPublishAlias, an AWS::Lambda::Alias or an AWS::Lambda::Version of the template).`);
        continue;
      }
      if (record.eventInvokeConfigs.has(qualifier)) continue;
      record.eventInvokeConfigs.set(qualifier, { qualifier, ...config, lastModified: record.lastModified, fromTemplate: true });
    }
  }

  /** Publishes the current code as SAM's AutoPublishAlias does (unchanged code keeps its version) and moves the alias. */
  async publishAutoAlias(functionName: string): Promise<void> {
    const spec = this.spec(functionName);
    if (!spec.autoPublishAlias) return;
    const record = this.require(functionName);
    const version = await this.publishVersion(functionName, {});
    const existing = record.aliases.get(spec.autoPublishAlias);
    if (existing?.functionVersion === version.version) return;
    record.aliases.set(spec.autoPublishAlias, {
      name: spec.autoPublishAlias,
      functionVersion: version.version,
      description: existing?.description ?? '',
      revisionId: randomUUID(),
      ...(existing?.additionalVersionWeights ? { additionalVersionWeights: existing.additionalVersionWeights } : {}),
    });
    await this.save();
  }

  list(): FunctionRecord[] {
    return [...this.records.values()];
  }

  /** By FunctionName (or a template function's logical id). */
  get(name: string): FunctionRecord | undefined {
    const spec = this.registry.get(name);
    return spec ? this.records.get(spec.functionName) : undefined;
  }

  /** The function, or Lambda's ResourceNotFoundException naming the (qualified) ARN. */
  require(name: string, qualifier?: string): FunctionRecord {
    const record = this.get(name);
    if (!record) throw new ServiceError('ResourceNotFoundException', `Function not found: ${this.arn(name, qualifier)}`, { Type: 'User' });
    return record;
  }

  /** $LATEST's configuration. */
  spec(name: string): FunctionSpec {
    const spec = this.registry.get(name);
    if (!spec) throw new ServiceError('ResourceNotFoundException', `Function not found: ${this.arn(name)}`, { Type: 'User' });
    return spec;
  }

  /**
   * A layer the function names by ARN that neither its template nor this endpoint's published layers provide: the function
   * does not run without it (LAYER_NOT_FOUND, at the template line that names it). Publishing the layer makes it run.
   */
  unknownLayer(spec: FunctionSpec): WorkbenchError | undefined {
    const layer = spec.layers.find((candidate) => candidate.contentDir === undefined && !this.layers.find(candidate.ref));
    if (!layer) return undefined;
    return new WorkbenchError('LAYER_NOT_FOUND', `${spec.functionName}: layer ${layer.ref} is not known locally, and the function does not run without it.`, {
      ...(layer.location ? { location: layer.location } : {}),
      hint: 'Publish it to this endpoint (aws lambda publish-layer-version --endpoint-url ...) or declare it in the template (AWS::Serverless::LayerVersion with a local ContentUri).',
    });
  }

  arn(name: string, qualifier?: string): string {
    return functionArn(this.options.region, this.options.accountId, name, qualifier);
  }

  /** What an invocation of name[:qualifier] runs; an alias with weights picks one of its versions at random. */
  resolve(name: string, qualifier: string | undefined): ResolvedTarget {
    const record = this.require(name, qualifier ?? '$LATEST');
    const invokedArn = this.arn(record.name, qualifier);
    if (qualifier === undefined || qualifier === '$LATEST') {
      return { record, spec: this.spec(record.name), version: '$LATEST', invokedArn };
    }
    const alias = VERSION_NUMBER.test(qualifier) ? undefined : record.aliases.get(qualifier);
    const version = alias ? pickVersion(alias) : qualifier;
    const published = version === '$LATEST' ? undefined : record.versions.get(version);
    if (version === '$LATEST') return { record, spec: this.spec(record.name), version, invokedArn };
    if (!published) throw new ServiceError('ResourceNotFoundException', `Function not found: ${this.arn(record.name, qualifier)}`, { Type: 'User' });
    return { record, spec: published.spec, version, invokedArn };
  }

  /** The version a qualifier names: $LATEST, a published version or an alias's main version. */
  versionOf(record: FunctionRecord, qualifier: string | undefined): string {
    if (qualifier === undefined || qualifier === '$LATEST') return '$LATEST';
    if (VERSION_NUMBER.test(qualifier)) {
      if (!record.versions.has(qualifier)) throw this.notFound(record.name, qualifier);
      return qualifier;
    }
    const alias = record.aliases.get(qualifier);
    if (!alias) throw this.notFound(record.name, qualifier);
    return alias.functionVersion;
  }

  notFound(name: string, qualifier?: string): ServiceError {
    return new ServiceError('ResourceNotFoundException', `Function not found: ${this.arn(name, qualifier)}`, { Type: 'User' });
  }

  /** $LATEST's CodeSha256 and CodeSize, computed from the package that runs (cached until the code changes). */
  async latestDigest(record: FunctionRecord): Promise<CodeDigest> {
    if (record.codeSha256 !== undefined && record.codeSize !== undefined) return { sha256: record.codeSha256, size: record.codeSize };
    const spec = this.spec(record.name);
    const digest = spec.packageType === 'Image' ? digestImage(spec.imageUri ?? '') : await digestDirectory(await this.options.latestCodeDir(spec));
    record.codeSha256 = digest.sha256;
    record.codeSize = digest.size;
    return digest;
  }

  /** The template function's code changed on disk (hot reload): its digest is computed again; AutoPublishAlias republishes. */
  async codeChanged(functionName: string): Promise<void> {
    const record = this.get(functionName);
    if (!record) return;
    delete record.codeSha256;
    delete record.codeSize;
    record.revisionId = randomUUID();
    record.lastModified = lambdaTimestamp();
    await this.publishAutoAlias(record.name);
  }

  /** CreateFunction: the function is Pending until its code is in place, then Active. */
  async create(spec: FunctionSpec, code: CodeSource, meta: { description: string; role: string; tags: Record<string, string> }): Promise<FunctionRecord> {
    if (this.registry.get(spec.functionName)) {
      throw new ServiceError('ResourceConflictException', `Function already exist: ${spec.functionName}`, { Type: 'User' });
    }
    const record = newRecord(spec.functionName, 'api', this.options.accountId);
    record.description = meta.description;
    record.role = meta.role;
    record.tags = meta.tags;
    record.state = 'Pending';
    record.stateReason = 'The function is being created.';
    record.stateReasonCode = 'Creating';
    const layers = this.layers.resolve(spec.layers.map((layer) => layer.ref));
    const placed = await this.placeCode({ ...spec, layers }, code);
    await this.assertFits(placed.spec, spec);
    record.codeSha256 = placed.digest.sha256;
    record.codeSize = placed.digest.size;
    this.registry.put(placed.spec);
    this.records.set(spec.functionName, record);
    await this.save();
    this.settle(() => {
      record.state = 'Active';
      delete record.stateReason;
      delete record.stateReasonCode;
    });
    return record;
  }

  /** UpdateFunctionCode: LastUpdateStatus is InProgress until the new code is in place. */
  async updateCode(name: string, code: CodeSource, revisionId: string | undefined): Promise<FunctionRecord> {
    const record = this.require(name);
    this.assertUpdatable(record, revisionId);
    const spec = this.spec(record.name);
    if ((code.kind === 'image') !== (spec.packageType === 'Image')) {
      throw new ServiceError('InvalidParameterValueException', `Please provide ${spec.packageType === 'Image' ? 'ImageUri' : 'ZipFile'} when updating a function with packageType ${spec.packageType}.`);
    }
    const placed = await this.placeCode(spec, code);
    await this.assertFits(placed.spec, spec);
    this.registry.put(placed.spec);
    if (record.origin === 'template') record.overrides = { ...record.overrides, ...codeFields(placed.spec) };
    record.codeSha256 = placed.digest.sha256;
    record.codeSize = placed.digest.size;
    this.changed(record);
    await this.options.onDidChange(record.name);
    await this.save();
    return record;
  }

  /** UpdateFunctionConfiguration: `patch` is merged into $LATEST's configuration. */
  async updateConfiguration(name: string, patch: Partial<FunctionSpec>, meta: { description?: string; role?: string }, revisionId: string | undefined): Promise<FunctionRecord> {
    const record = this.require(name);
    this.assertUpdatable(record, revisionId);
    if (patch.layers !== undefined) {
      patch = { ...patch, layers: this.layers.resolve(patch.layers.map((layer) => layer.ref)) };
      const spec = this.spec(record.name);
      if (spec.packageType === 'Zip') await this.layers.assertFunctionFits(await this.options.latestCodeDir(spec), patch.layers ?? []);
    }
    this.registry.put({ ...this.spec(record.name), ...patch });
    if (record.origin === 'template') record.overrides = { ...record.overrides, ...patch };
    if (meta.description !== undefined) record.description = meta.description;
    if (meta.role !== undefined) record.role = meta.role;
    this.changed(record);
    await this.options.onDidChange(record.name);
    await this.save();
    return record;
  }

  /** PublishVersion: a snapshot of $LATEST's code and configuration; unchanged code and configuration return the last version. */
  async publishVersion(name: string, input: { codeSha256?: string; description?: string; revisionId?: string }): Promise<VersionRecord> {
    const record = this.require(name);
    if (input.revisionId !== undefined && input.revisionId !== record.revisionId) throw revisionMismatch();
    if (record.lastUpdateStatus === 'InProgress') throw this.updateInProgress(record);
    const spec = this.spec(record.name);
    // A template function's $LATEST is its code on disk: publish what is there now, whether or not a file watcher has
    // reported the last edit yet.
    if (record.origin === 'template') {
      delete record.codeSha256;
      delete record.codeSize;
    }
    const digest = await this.latestDigest(record);
    if (input.codeSha256 !== undefined && input.codeSha256 !== digest.sha256) {
      throw new ServiceError('InvalidParameterValueException',
        `CodeSHA256 (${input.codeSha256}) is different from current CodeSHA256 in $LATEST (${digest.sha256}). Please try again with the CodeSHA256 in $LATEST.`);
    }
    const fingerprint = configurationFingerprint(spec, record, digest);
    const last = record.versions.get(String(record.lastVersion));
    if (last && last.fingerprint === fingerprint) return last;
    const version = String(record.lastVersion + 1);
    let snapshot: FunctionSpec = { ...spec, build: undefined };
    if (spec.packageType === 'Zip') {
      const codeDir = this.state.dir('code', record.name, version);
      await snapshotDirectory(await this.options.latestCodeDir(spec), codeDir);
      snapshot = { ...snapshot, codeDir };
    }
    delete snapshot.build;
    const published: VersionRecord = {
      version,
      spec: snapshot,
      description: input.description ?? record.description,
      codeSha256: digest.sha256,
      codeSize: digest.size,
      revisionId: randomUUID(),
      lastModified: lambdaTimestamp(),
      fingerprint,
    };
    record.versions.set(version, published);
    record.lastVersion += 1;
    await this.save();
    return published;
  }

  /** DeleteFunction: the whole function (versions, aliases, snapshots) or one published version. */
  async delete(name: string, qualifier: string | undefined): Promise<void> {
    const record = this.require(name, qualifier);
    if (qualifier !== undefined && qualifier !== '$LATEST') {
      if (!VERSION_NUMBER.test(qualifier)) {
        throw new ServiceError('InvalidParameterValueException', 'Deletion of aliases is not currently supported.');
      }
      if (!record.versions.has(qualifier)) throw this.notFound(record.name, qualifier);
      const users = [...record.aliases.values()].filter((alias) => alias.functionVersion === qualifier || alias.additionalVersionWeights?.[qualifier] !== undefined);
      if (users.length > 0) {
        throw new ServiceError('ResourceConflictException', `Unable to delete version because the following aliases reference it: [${users.map((a) => a.name).join(', ')}]`, { Type: 'User' });
      }
      record.versions.delete(qualifier);
      await rm(this.state.dir('code', record.name, qualifier), { recursive: true, force: true });
      await this.save();
      return;
    }
    if (record.origin === 'template') {
      throw new ServiceError('InvalidParameterValueException',
        `${record.name} is declared in a template; remove it from the template instead (the template is reloaded at every start).`);
    }
    this.records.delete(record.name);
    this.registry.remove(record.name);
    for (const qualifier of record.urls.keys()) await this.urlHost?.close(record.name, qualifier);
    await this.options.onDidChange(record.name);
    await rm(this.state.dir('code', record.name), { recursive: true, force: true });
    await this.save();
  }

  // --- aliases ---

  async putAlias(name: string, aliasName: string, input: { functionVersion?: string; description?: string; weights?: Record<string, number> | null; revisionId?: string }, create: boolean): Promise<AliasRecord> {
    const record = this.require(name);
    const existing = record.aliases.get(aliasName);
    if (create && existing) {
      throw new ServiceError('ResourceConflictException', `Alias already exists: ${this.arn(record.name, aliasName)}`, { Type: 'User' });
    }
    if (!create && !existing) throw new ServiceError('ResourceNotFoundException', `Alias not found: ${this.arn(record.name, aliasName)}`, { Type: 'User' });
    if (existing && input.revisionId !== undefined && input.revisionId !== existing.revisionId) throw revisionMismatch();
    const functionVersion = input.functionVersion ?? existing?.functionVersion ?? '$LATEST';
    this.assertVersionExists(record, functionVersion);
    const weights = input.weights === undefined ? existing?.additionalVersionWeights : input.weights ?? undefined;
    if (weights) this.assertWeights(record, functionVersion, weights);
    const alias: AliasRecord = {
      name: aliasName,
      functionVersion,
      description: input.description ?? existing?.description ?? '',
      revisionId: randomUUID(),
      ...(weights && Object.keys(weights).length > 0 ? { additionalVersionWeights: weights } : {}),
    };
    record.aliases.set(aliasName, alias);
    await this.save();
    return alias;
  }

  getAlias(name: string, aliasName: string): AliasRecord {
    const record = this.require(name);
    const alias = record.aliases.get(aliasName);
    if (!alias) throw new ServiceError('ResourceNotFoundException', `Cannot find alias arn: ${this.arn(record.name, aliasName)}`, { Type: 'User' });
    return alias;
  }

  async deleteAlias(name: string, aliasName: string): Promise<void> {
    const record = this.require(name);
    record.aliases.delete(aliasName);
    if (record.urls.delete(aliasName)) await this.urlHost?.close(record.name, aliasName);
    record.provisioned.delete(aliasName);
    record.eventInvokeConfigs.delete(aliasName);
    await this.save();
  }

  // --- per-function settings ---

  async setReservedConcurrency(name: string, value: number | undefined): Promise<void> {
    const record = this.require(name);
    const spec = this.spec(record.name);
    const next: FunctionSpec = { ...spec };
    if (value === undefined) delete next.reservedConcurrency;
    else next.reservedConcurrency = value;
    this.registry.put(next);
    if (record.origin === 'template') record.overrides = { ...record.overrides, reservedConcurrency: value };
    await this.save();
  }

  /**
   * PutProvisionedConcurrencyConfig: records the config IN_PROGRESS; `start` initialises the environments (through the
   * service) and the config becomes READY, or FAILED when an environment's init fails.
   */
  async putProvisioned(name: string, qualifier: string, requested: number): Promise<ProvisionedRecord> {
    const record = this.require(name, qualifier);
    if (qualifier === '$LATEST') {
      throw new ServiceError('InvalidParameterValueException', 'Provisioned Concurrency Configs cannot be applied to unpublished function versions.');
    }
    this.versionOf(record, qualifier);
    const reserved = this.spec(record.name).reservedConcurrency;
    const elsewhere = [...record.provisioned.values()].filter((p) => p.qualifier !== qualifier).reduce((sum, p) => sum + p.requested, 0);
    if (reserved !== undefined && requested + elsewhere > reserved) {
      throw new ServiceError('InvalidParameterValueException', `Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function`);
    }
    const config = newProvisioned(qualifier, requested);
    record.provisioned.set(qualifier, config);
    await this.save();
    return config;
  }

  /** Initialises a provisioned config's environments with `start` (version, count -> how many initialised) and records the outcome. */
  async provision(name: string, qualifier: string, start: (version: string, count: number) => Promise<number>): Promise<ProvisionedRecord> {
    const record = this.require(name, qualifier);
    const config = record.provisioned.get(qualifier);
    if (!config) throw provisionedNotFound();
    const ready = await start(this.versionOf(record, qualifier), config.requested);
    // A newer Put or a Delete while the environments started wins.
    if (record.provisioned.get(qualifier) !== config) return config;
    config.allocated = ready;
    config.available = ready;
    config.lastModified = lambdaTimestamp();
    if (ready === config.requested) {
      config.status = 'READY';
    } else {
      config.status = 'FAILED';
      config.statusReason = 'FUNCTION_ERROR_INIT_FAILURE';
    }
    await this.save();
    return config;
  }

  getProvisioned(name: string, qualifier: string): ProvisionedRecord {
    const config = this.require(name, qualifier).provisioned.get(qualifier);
    if (!config) throw provisionedNotFound();
    return config;
  }

  async deleteProvisioned(name: string, qualifier: string): Promise<string> {
    const record = this.require(name, qualifier);
    if (!record.provisioned.delete(qualifier)) throw provisionedNotFound();
    await this.save();
    return this.versionOf(record, qualifier);
  }

  // --- function URLs ---

  /** CreateFunctionUrlConfig / UpdateFunctionUrlConfig on $LATEST or an alias; a new URL is served before this resolves. */
  async putUrl(name: string, qualifier: string | undefined, input: Partial<FunctionUrlSpec>, create: boolean): Promise<UrlRecord> {
    const record = this.require(name, qualifier);
    const key = qualifier ?? '$LATEST';
    if (key !== '$LATEST' && !record.aliases.has(key)) throw this.notFound(record.name, key);
    const existing = record.urls.get(key);
    if (create && existing) {
      throw new ServiceError('ResourceConflictException',
        `Failed to create function url config for [functionArn = ${this.arn(record.name, qualifier)}]. Error message:  FunctionUrlConfig exists for this Lambda function`, { Type: 'User' });
    }
    if (!create && !existing) throw urlNotFound();
    const now = lambdaTimestamp();
    const config: UrlRecord = {
      qualifier: key,
      authType: input.authType ?? existing?.authType ?? 'NONE',
      invokeMode: input.invokeMode ?? existing?.invokeMode ?? 'BUFFERED',
      ...(input.cors ?? existing?.cors ? { cors: input.cors ?? existing?.cors } : {}),
      creationTime: existing?.creationTime ?? now,
      lastModifiedTime: now,
    };
    record.urls.set(key, config);
    await this.save();
    await this.urlHost?.open(record.name, key);
    return config;
  }

  getUrl(name: string, qualifier: string | undefined): UrlRecord {
    const config = this.require(name, qualifier).urls.get(qualifier ?? '$LATEST');
    if (!config) throw urlNotFound();
    return config;
  }

  async deleteUrl(name: string, qualifier: string | undefined): Promise<void> {
    const record = this.require(name, qualifier);
    const key = qualifier ?? '$LATEST';
    if (!record.urls.delete(key)) throw urlNotFound();
    await this.save();
    await this.urlHost?.close(record.name, key);
  }

  async putEventInvokeConfig(name: string, config: EventInvokeConfigRecord): Promise<void> {
    this.require(name).eventInvokeConfigs.set(config.qualifier, config);
    await this.save();
  }

  async deleteEventInvokeConfig(name: string, qualifier: string): Promise<void> {
    this.require(name).eventInvokeConfigs.delete(qualifier);
    await this.save();
  }

  async setTags(name: string, tags: Record<string, string>): Promise<void> {
    this.require(name).tags = tags;
    await this.save();
  }

  /** Saves the state document (after any change made to a record in place). */
  save(): Promise<void> {
    const functions: Record<string, PersistedFunction> = {};
    for (const record of this.records.values()) {
      functions[record.name] = persistFunction(record, record.origin === 'api' ? this.spec(record.name) : undefined);
    }
    const written = this.state.write(STATE_DOCUMENT, { functions } satisfies StateDocument);
    this.changes.fire();
    return written;
  }

  private assertUpdatable(record: FunctionRecord, revisionId: string | undefined): void {
    if (revisionId !== undefined && revisionId !== record.revisionId) throw revisionMismatch();
    if (record.lastUpdateStatus === 'InProgress') throw this.updateInProgress(record);
    if (record.state === 'Pending') {
      throw new ServiceError('ResourceConflictException', `The operation cannot be performed at this time. The function is currently in the following state: Pending`, { Type: 'User' });
    }
  }

  private updateInProgress(record: FunctionRecord): ServiceError {
    return new ServiceError('ResourceConflictException', `The operation cannot be performed at this time. An update is in progress for resource: ${this.arn(record.name)}`, { Type: 'User' });
  }

  private assertVersionExists(record: FunctionRecord, version: string): void {
    if (version !== '$LATEST' && !record.versions.has(version)) {
      throw new ServiceError('ResourceNotFoundException', `Function not found: ${this.arn(record.name, version)}`, { Type: 'User' });
    }
  }

  private assertWeights(record: FunctionRecord, functionVersion: string, weights: Record<string, number>): void {
    const entries = Object.entries(weights);
    if (entries.length > 1) {
      throw new ServiceError('InvalidParameterValueException', 'Number of items in AdditionalVersionWeights cannot be greater than 1');
    }
    for (const [version] of entries) {
      if (functionVersion === '$LATEST' || version === '$LATEST') {
        throw new ServiceError('InvalidParameterValueException', '$LATEST is not supported for an alias pointing to more than 1 version');
      }
      if (version === functionVersion) {
        throw new ServiceError('InvalidParameterValueException', `Invalid function version ${version}. Function version ${version} is already included in routing configuration.`);
      }
      this.assertVersionExists(record, version);
    }
  }

  /** A new revision of $LATEST: InProgress now, Successful once the change is in place (after this request is answered). */
  private changed(record: FunctionRecord): void {
    record.revisionId = randomUUID();
    record.lastModified = lambdaTimestamp();
    record.lastUpdateStatus = 'InProgress';
    this.settle(() => {
      record.lastUpdateStatus = 'Successful';
    });
  }

  /** The transition happens once the request that started it has been answered (see completeTransitions). */
  private settle(apply: () => void): void {
    this.transitions.push(apply);
  }

  /**
   * Finishes the Pending -> Active and InProgress -> Successful transitions of the changes made so far: the API calls this
   * after it has answered the request, so the answer shows the state in progress, as AWS's does.
   */
  completeTransitions(): void {
    const transitions = this.transitions.splice(0);
    for (const apply of transitions) apply();
    if (transitions.length > 0) void this.save();
  }

  /** Whether a function ($LATEST or a published version) still mounts this layer content. */
  usesLayerContent(contentDir: string): boolean {
    return this.list().some((record) => [this.registry.get(record.name), ...[...record.versions.values()].map((v) => v.spec)]
      .some((spec) => spec?.layers.some((layer) => layer.contentDir === contentDir)));
  }

  /** Newly placed code and the layers within the 250 MB quota; code extracted for the refused request is removed. */
  private async assertFits(placed: FunctionSpec, before: FunctionSpec): Promise<void> {
    if (placed.packageType !== 'Zip') return;
    try {
      await this.layers.assertFunctionFits(placed.codeDir, placed.layers);
    } catch (error) {
      if (placed.codeDir !== before.codeDir && placed.codeDir.startsWith(this.state.root)) await rm(placed.codeDir, { recursive: true, force: true });
      throw error;
    }
  }

  private async placeCode(spec: FunctionSpec, code: CodeSource): Promise<{ spec: FunctionSpec; digest: CodeDigest }> {
    if (code.kind === 'image') return { spec: { ...spec, packageType: 'Image', imageUri: code.imageUri }, digest: digestImage(code.imageUri) };
    if (code.kind === 'path' && !code.path.toLowerCase().endsWith('.zip')) {
      return { spec: { ...spec, packageType: 'Zip', codeDir: code.path }, digest: await digestDirectory(code.path) };
    }
    const bytes = code.kind === 'zip' ? code.bytes : await readFile(code.path);
    const codeDir = this.state.dir('code', spec.functionName, `latest-${randomUUID()}`);
    await extractUploadedZip(bytes, codeDir);
    return { spec: { ...spec, packageType: 'Zip', codeDir }, digest: digestZip(bytes) };
  }
}

function newRecord(name: string, origin: FunctionRecord['origin'], accountId: string): FunctionRecord {
  return {
    name,
    origin,
    description: '',
    role: `arn:aws:iam::${accountId}:role/lambda-workbench-local`,
    revisionId: randomUUID(),
    lastModified: lambdaTimestamp(),
    state: 'Active',
    lastUpdateStatus: 'Successful',
    lastVersion: 0,
    versions: new Map(),
    aliases: new Map(),
    provisioned: new Map(),
    urls: new Map(),
    eventInvokeConfigs: new Map(),
    tags: {},
    overrides: {},
  };
}

function codeFields(spec: FunctionSpec): Partial<FunctionSpec> {
  return { packageType: spec.packageType, codeDir: spec.codeDir, ...(spec.imageUri ? { imageUri: spec.imageUri } : {}), build: undefined };
}

/** Code and every setting that a version freezes. */
function configurationFingerprint(spec: FunctionSpec, record: FunctionRecord, digest: CodeDigest): string {
  const { codeDir: _codeDir, build: _build, location: _location, templatePath: _templatePath, reservedConcurrency: _reserved, ...config } = spec;
  return JSON.stringify([digest.sha256, record.description, record.role, config]);
}

function pickVersion(alias: AliasRecord): string {
  let draw = Math.random();
  for (const [version, weight] of Object.entries(alias.additionalVersionWeights ?? {})) {
    if (draw < weight) return version;
    draw -= weight;
  }
  return alias.functionVersion;
}

/** The template's FunctionUrlConfig, on the AutoPublishAlias when there is one (as SAM attaches it); one the API changed is kept. */
function applyTemplateUrl(record: FunctionRecord, spec: FunctionSpec): void {
  for (const [qualifier, config] of record.urls) if (config.fromTemplate) record.urls.delete(qualifier);
  if (!spec.functionUrl) return;
  const { qualifier: target, ...settings } = spec.functionUrl;
  const qualifier = target ?? spec.autoPublishAlias ?? '$LATEST';
  if (record.urls.has(qualifier)) return;
  record.urls.set(qualifier, { ...settings, qualifier, creationTime: record.lastModified, lastModifiedTime: record.lastModified, fromTemplate: true });
}

function urlNotFound(): ServiceError {
  return new ServiceError('ResourceNotFoundException', 'The resource you requested does not exist.', { Type: 'User' });
}

function newProvisioned(qualifier: string, requested: number): ProvisionedRecord {
  return { qualifier, requested, allocated: 0, available: 0, status: 'IN_PROGRESS', lastModified: lambdaTimestamp() };
}

function provisionedNotFound(): ServiceError {
  return new ServiceError('ProvisionedConcurrencyConfigNotFoundException', 'No Provisioned Concurrency Config found for this function', { Type: 'User' });
}

function revisionMismatch(): ServiceError {
  return new ServiceError('PreconditionFailedException',
    'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id', { Type: 'User' });
}
