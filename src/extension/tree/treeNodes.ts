// The nodes of the Lambda view: templates -> functions -> API routes, saved events, versions, aliases and running
// instances; Resources -> tables, buckets -> objects, and the local resources of src/extension/tree/resources.
import type { AliasRecord, VersionRecord } from '../../core/functions/functionRecords';
import type { BucketDefinition, TableDefinition } from '../../core/data/dataResources';
import type { ObjectSummary } from '../../core/data/s3Engine';
import type { GatewayRoute } from '../../core/gateway/gatewayModel';
import type { InstanceInfo } from '../../core/instances/instance';
import type { FunctionSpec } from '../../core/template/functionSpec';
import type { SavedEvent } from '../../core/events/savedEvents';
import type { TemplateEntry } from '../services/functionCatalog';
import type { LocalResourceNode } from './resources/resourceSection';

export interface TemplateNode {
  kind: 'template';
  entry: TemplateEntry;
}

export interface FunctionNode {
  kind: 'function';
  spec: FunctionSpec;
  /** Created through the Lambda API of the local endpoints (not in a template): it can be deleted. */
  api?: true;
}

/** The functions created through the Lambda API, beside the templates. */
export interface ApiFunctionsNode {
  kind: 'apiFunctions';
}

export interface EventNode {
  kind: 'event';
  spec: FunctionSpec;
  event: SavedEvent;
}

export interface InstanceNode {
  kind: 'instance';
  spec: FunctionSpec;
  info: InstanceInfo;
}

/** An API Gateway route that reaches the function. */
export interface RouteNode {
  kind: 'route';
  spec: FunctionSpec;
  route: GatewayRoute;
}

/** A published version of the function (an immutable snapshot). */
export interface VersionNode {
  kind: 'version';
  spec: FunctionSpec;
  version: VersionRecord;
}

/** An alias of the function, with its routing weights. */
export interface AliasNode {
  kind: 'alias';
  spec: FunctionSpec;
  alias: AliasRecord;
}

export interface ProblemNode {
  kind: 'problem';
  message: string;
}

/** The templates' DynamoDB tables and S3 buckets, and the local resources of the sections (queues, ...). */
export interface ResourcesNode {
  kind: 'resources';
  tables: TableDefinition[];
  buckets: BucketDefinition[];
  /** The sections' resources when the view was drawn, by section noun (for the count). */
  counts: { noun: string; count: number }[];
}

export interface TableNode {
  kind: 'table';
  table: TableDefinition;
  /** Counted while the local endpoints serve the table. */
  itemCount?: number;
}

export interface BucketNode {
  kind: 'bucket';
  bucket: BucketDefinition;
  /** Listed while the local endpoints serve the bucket. */
  objects?: { list: ObjectSummary[]; truncated: boolean };
}

export interface ObjectNode {
  kind: 'object';
  bucket: string;
  object: ObjectSummary;
}

export type LambdaNode =
  | TemplateNode
  | ApiFunctionsNode
  | FunctionNode
  | EventNode
  | InstanceNode
  | RouteNode
  | VersionNode
  | AliasNode
  | ProblemNode
  | ResourcesNode
  | TableNode
  | BucketNode
  | ObjectNode
  | LocalResourceNode;

/** Nodes that name a function: what the function context-menu commands receive. */
export type FunctionTarget = FunctionNode | EventNode | InstanceNode | VersionNode | AliasNode;

export function isFunctionTarget(value: unknown): value is FunctionTarget {
  const kind = (value as { kind?: unknown } | undefined)?.kind;
  return (kind === 'function' || kind === 'event' || kind === 'instance' || kind === 'version' || kind === 'alias') && 'spec' in (value as object);
}
