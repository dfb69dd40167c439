// What the control plane knows of a function beyond its FunctionSpec: versions, aliases, concurrency, URLs, tags, states.
import type { FunctionSpec, FunctionUrlSpec } from '../template/functionSpec';

export type FunctionState = 'Pending' | 'Active' | 'Inactive' | 'Failed';
export type LastUpdateStatus = 'InProgress' | 'Successful' | 'Failed';

/** An immutable published version: its own copy of the code and of the configuration. */
export interface VersionRecord {
  version: string;
  spec: FunctionSpec;
  description: string;
  codeSha256: string;
  codeSize: number;
  revisionId: string;
  lastModified: string;
  /** Configuration fingerprint: publishing the same code and configuration again returns this version. */
  fingerprint: string;
}

export interface AliasRecord {
  name: string;
  functionVersion: string;
  description: string;
  /** Version -> share of invocations (0..1) routed to it instead of functionVersion. */
  additionalVersionWeights?: Record<string, number>;
  revisionId: string;
}

export type ProvisionedStatus = 'IN_PROGRESS' | 'READY' | 'FAILED';

export interface ProvisionedRecord {
  qualifier: string;
  requested: number;
  allocated: number;
  available: number;
  status: ProvisionedStatus;
  statusReason?: string;
  lastModified: string;
}

export interface UrlRecord extends FunctionUrlSpec {
  /** $LATEST or an alias name. */
  qualifier: string;
  creationTime: string;
  lastModifiedTime: string;
  /** Declared by the template's FunctionUrlConfig (read again at every load) rather than made through the API. */
  fromTemplate?: boolean;
}

export interface EventInvokeConfigRecord {
  qualifier: string;
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  onSuccess?: string;
  onFailure?: string;
  lastModified: string;
  /** Declared by the template (read again at every load) rather than put through the API. */
  fromTemplate?: boolean;
}

export interface FunctionRecord {
  name: string;
  /** Declared in a template (reloaded from it at start) or created through the API (restored from the state store). */
  origin: 'template' | 'api';
  description: string;
  role: string;
  revisionId: string;
  lastModified: string;
  codeSha256?: string;
  codeSize?: number;
  state: FunctionState;
  stateReason?: string;
  stateReasonCode?: string;
  lastUpdateStatus: LastUpdateStatus;
  lastVersion: number;
  versions: Map<string, VersionRecord>;
  aliases: Map<string, AliasRecord>;
  provisioned: Map<string, ProvisionedRecord>;
  urls: Map<string, UrlRecord>;
  eventInvokeConfigs: Map<string, EventInvokeConfigRecord>;
  tags: Record<string, string>;
  /** Configuration the API changed on a template function (applied again after the template is read). */
  overrides: Partial<FunctionSpec>;
}

/** Lambda's timestamp form: 2019-09-24T18:57:25.838+0000. */
export function lambdaTimestamp(date = new Date()): string {
  return date.toISOString().replace('Z', '+0000');
}
