// The nodes of the Lambda view: templates -> functions -> API routes, saved events, versions, aliases, provisioned
// concurrency, function URLs, event source mappings and running instances; Resources -> tables, buckets -> objects, and
// the local resources of src/extension/tree/resources.
import type { AliasRecord, ProvisionedRecord, UrlRecord, VersionRecord } from '../../core/functions/functionRecords';
import type { MappingEntry } from '../../core/service/eventSources/eventSources';
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

/** A provisioned concurrency config of a version or alias, with its status (IN_PROGRESS, READY, FAILED). */
export interface ProvisionedNode {
  kind: 'provisioned';
  spec: FunctionSpec;
  config: ProvisionedRecord;
}

/** A function URL config of $LATEST or an alias; `url` is set while the local endpoints serve it. */
export interface FunctionUrlNode {
  kind: 'functionUrl';
  spec: FunctionSpec;
  config: UrlRecord;
  url?: string;
}

/** An event source mapping that invokes the function (or one of its versions or aliases), while the endpoints poll. */
export interface MappingNode {
  kind: 'mapping';
  spec: FunctionSpec;
  entry: MappingEntry;
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
  | ProvisionedNode
  | FunctionUrlNode
  | MappingNode
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
