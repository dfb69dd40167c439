// A FunctionRecord as the state store keeps it (JSON: maps become lists) and back.
import type { FunctionSpec } from '../template/functionSpec';
import type {
  AliasRecord,
  EventInvokeConfigRecord,
  FunctionRecord,
  ProvisionedRecord,
  UrlRecord,
  VersionRecord,
} from './functionRecords';

/** The record's own fields as they are; its maps as lists. */
type KeptAsTheyAre = 'origin' | 'description' | 'role' | 'revisionId' | 'lastModified' | 'codeSha256' | 'codeSize' | 'lastVersion' | 'tags' | 'overrides';

export interface PersistedFunction extends Pick<FunctionRecord, KeptAsTheyAre> {
  /** The whole $LATEST configuration of an API-made function (template functions are read from the template). */
  spec?: FunctionSpec;
  versions: VersionRecord[];
  aliases: AliasRecord[];
  provisioned: ProvisionedRecord[];
  urls: UrlRecord[];
  eventInvokeConfigs: EventInvokeConfigRecord[];
}

export function persistFunction(record: FunctionRecord, spec: FunctionSpec | undefined): PersistedFunction {
  return {
    origin: record.origin,
    ...(spec ? { spec } : {}),
    description: record.description,
    role: record.role,
    revisionId: record.revisionId,
    lastModified: record.lastModified,
    // A template function's digest is computed again from its files at the next start.
    ...(record.origin === 'api' ? { codeSha256: record.codeSha256, codeSize: record.codeSize } : {}),
    lastVersion: record.lastVersion,
    versions: [...record.versions.values()],
    aliases: [...record.aliases.values()],
    provisioned: [...record.provisioned.values()],
    urls: [...record.urls.values()],
    eventInvokeConfigs: [...record.eventInvokeConfigs.values()],
    tags: record.tags,
    overrides: record.overrides,
  };
}

/** A restored function is Active: whatever was in progress when the state was saved has finished. */
export function restoreFunction(saved: PersistedFunction, spec: FunctionSpec): FunctionRecord {
  const byKey = <T>(items: T[] | undefined, key: (item: T) => string) => new Map((items ?? []).map((item) => [key(item), item]));
  return {
    name: spec.functionName,
    origin: saved.origin,
    description: saved.description ?? '',
    role: saved.role,
    revisionId: saved.revisionId,
    lastModified: saved.lastModified,
    ...(saved.codeSha256 !== undefined ? { codeSha256: saved.codeSha256 } : {}),
    ...(saved.codeSize !== undefined ? { codeSize: saved.codeSize } : {}),
    state: 'Active',
    lastUpdateStatus: 'Successful',
    lastVersion: saved.lastVersion ?? 0,
    versions: byKey(saved.versions, (v) => v.version),
    aliases: byKey(saved.aliases, (a) => a.name),
    // Provisioned environments do not outlive the process: they initialise again at start.
    provisioned: byKey(saved.provisioned?.map((p) => ({ ...p, status: 'IN_PROGRESS' as const, allocated: 0, available: 0 })), (p) => p.qualifier),
    urls: byKey(saved.urls, (u) => u.qualifier),
    eventInvokeConfigs: byKey(saved.eventInvokeConfigs, (c) => c.qualifier),
    tags: saved.tags ?? {},
    overrides: saved.overrides ?? {},
  };
}
