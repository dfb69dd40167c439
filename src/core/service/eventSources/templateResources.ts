// Reads the queues, Kinesis streams and DynamoDB table streams a template declares (AWS::SQS::Queue, AWS::Kinesis::Stream, AWS::DynamoDB::Table).
import { findUnresolved, IntrinsicResolver } from '../../template/intrinsicResolver';
import { resourceAttribute } from '../../template/resourceAttributes';
import { isRecord, readTemplateDocument, type TemplateResource } from '../../template/templateDocument';
import { parameterValues } from '../../template/templateParameters';

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export interface QueueDefinition {
  name: string;
  arn: string;
  visibilityTimeoutSeconds: number;
  delaySeconds: number;
  fifo: boolean;
  contentBasedDeduplication: boolean;
  redrivePolicy?: RedrivePolicy;
  /** Bytes of body and attributes a message may have (SQS's default: 1 MiB). */
  maximumMessageSize?: number;
  /** How long an unreceived message is kept (SQS's default: 4 days). */
  messageRetentionSeconds?: number;
  /** The long polling wait of a ReceiveMessage that names none. */
  receiveWaitSeconds?: number;
  /** Other attributes SQS keeps and returns but Lambda Workbench does not act on (Policy, KmsMasterKeyId, ...). */
  otherAttributes?: Record<string, string>;
}

export type StreamKind = 'kinesis' | 'dynamodb';
export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

export interface StreamDefinition {
  kind: StreamKind;
  /** Stream name (Kinesis) or table name (DynamoDB). */
  name: string;
  arn: string;
  shardCount: number;
  /** DynamoDB only: what each record carries. */
  streamViewType?: StreamViewType;
}

export interface TemplateEventResources {
  queues: QueueDefinition[];
  streams: StreamDefinition[];
}

/** SQS defaults for properties a queue resource leaves out. */
export const QUEUE_DEFAULTS = { visibilityTimeoutSeconds: 30, delaySeconds: 0 } as const;

/** Reads every template once; unresolvable values fall back to the AWS defaults (with a warning). */
export async function readTemplateEventResources(
  templatePaths: string[],
  parameterOverrides: Record<string, string>,
  warnings: string[],
): Promise<TemplateEventResources> {
  const result: TemplateEventResources = { queues: [], streams: [] };
  for (const templatePath of templatePaths) {
    const doc = await readTemplateDocument(templatePath);
    const resolver = IntrinsicResolver.forDocument(doc, parameterValues(doc, parameterOverrides, warnings));
    for (const [id, resource] of Object.entries(doc.resources)) {
      const read = new ResourceValues(id, resource, resolver, warnings);
      const name = resolver.physicalName(id);
      const arn = (attribute: string) => resourceAttribute(resource.type, name, attribute, resolver.arnContext) ?? name;
      if (resource.type === 'AWS::SQS::Queue') {
        const redrive = read.redrivePolicy();
        result.queues.push({
          name,
          arn: arn('Arn'),
          visibilityTimeoutSeconds: read.integer('VisibilityTimeout', 0, 43_200) ?? QUEUE_DEFAULTS.visibilityTimeoutSeconds,
          delaySeconds: read.integer('DelaySeconds', 0, 900) ?? QUEUE_DEFAULTS.delaySeconds,
          fifo: read.boolean('FifoQueue') ?? name.endsWith('.fifo'),
          contentBasedDeduplication: read.boolean('ContentBasedDeduplication') ?? false,
          ...(redrive ? { redrivePolicy: redrive } : {}),
          ...optional('maximumMessageSize', read.integer('MaximumMessageSize', 1024, 1_048_576)),
          ...optional('messageRetentionSeconds', read.integer('MessageRetentionPeriod', 60, 1_209_600)),
          ...optional('receiveWaitSeconds', read.integer('ReceiveMessageWaitTimeSeconds', 0, 20)),
        });
      } else if (resource.type === 'AWS::Kinesis::Stream') {
        const onDemand = read.value(['StreamModeDetails', 'StreamMode']) === 'ON_DEMAND';
        // An on-demand stream starts with 4 shards.
        result.streams.push({ kind: 'kinesis', name, arn: arn('Arn'), shardCount: read.integer('ShardCount', 1, 10_000) ?? (onDemand ? 4 : 1) });
      } else if (resource.type === 'AWS::DynamoDB::Table' && read.value(['StreamSpecification', 'StreamViewType']) !== undefined) {
        const viewType = read.value(['StreamSpecification', 'StreamViewType']);
        const known: StreamViewType[] = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'];
        const streamViewType = known.find((type) => type === viewType) ?? 'NEW_AND_OLD_IMAGES';
        if (streamViewType !== viewType) warnings.push(`${id}: StreamViewType '${String(viewType)}' is not one of ${known.join(', ')}; NEW_AND_OLD_IMAGES is used.`);
        result.streams.push({ kind: 'dynamodb', name, arn: arn('StreamArn'), shardCount: 1, streamViewType });
      }
    }
  }
  return result;
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

/** Resolved property values of one resource, with warnings for values that cannot be used. */
export class ResourceValues {
  constructor(
    private readonly id: string,
    private readonly resource: TemplateResource,
    private readonly resolver: IntrinsicResolver,
    private readonly warnings: string[],
  ) {}

  value(path: string | string[]): unknown {
    let value: unknown = this.resource.properties;
    for (const key of typeof path === 'string' ? [path] : path) value = isRecord(value) ? value[key] : undefined;
    const resolved = value === undefined ? undefined : this.resolver.resolve(value);
    const unresolved = findUnresolved(resolved);
    if (!unresolved) return resolved;
    this.warnings.push(`${this.id}: ${typeof path === 'string' ? path : path.join('.')} is ignored: ${unresolved.reason}.`);
    return undefined;
  }

  integer(property: string, min: number, max: number): number | undefined {
    const value = this.value(property);
    if (value === undefined) return undefined;
    const number = typeof value === 'string' ? Number(value) : value;
    if (typeof number === 'number' && Number.isInteger(number) && number >= min && number <= max) return number;
    this.warnings.push(`${this.id}: ${property} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}; the default is used.`);
    return undefined;
  }

  boolean(property: string): boolean | undefined {
    const value = this.value(property);
    if (value === undefined) return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    this.warnings.push(`${this.id}: ${property} must be true or false, got ${JSON.stringify(value)}; the default is used.`);
    return undefined;
  }

  /** RedrivePolicy is an object, or (as the SQS API takes it) a JSON string. */
  redrivePolicy(): RedrivePolicy | undefined {
    let policy = this.value('RedrivePolicy');
    if (policy === undefined) return undefined;
    if (typeof policy === 'string') {
      try {
        policy = JSON.parse(policy) as unknown;
      } catch {
        policy = undefined;
      }
    }
    const target = isRecord(policy) ? policy.deadLetterTargetArn : undefined;
    const count = isRecord(policy) ? Number(policy.maxReceiveCount) : NaN;
    if (typeof target === 'string' && Number.isInteger(count) && count >= 1 && count <= 1000) {
      return { deadLetterTargetArn: target, maxReceiveCount: count };
    }
    this.warnings.push(`${this.id}: RedrivePolicy needs deadLetterTargetArn (a queue ARN) and maxReceiveCount (1 to 1000); the queue has no dead-letter queue.`);
    return undefined;
  }
}
