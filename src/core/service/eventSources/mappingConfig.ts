// Turns a function's SAM `SQS`, `Kinesis` and `DynamoDB` events into validated event source mapping settings (contract §5.2–5.4).
import { WorkbenchError } from '../../common/errors';
import type { EventSourceSpec, FunctionSpec } from '../../template/functionSpec';
import { isRecord } from '../../template/templateDocument';
import { snsSubscriptionQueueArn } from '../topics/templateTopics';

interface MappingBase {
  /** `<function logical id>.<event id>`: unique in a workspace. */
  id: string;
  functionName: string;
  enabled: boolean;
  batchSize: number;
  batchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
  /** FilterCriteria.Filters[].Pattern: a record reaches the function when any of them matches it. */
  filterPatterns?: string[];
}

export interface SqsMapping extends MappingBase {
  kind: 'sqs';
  queueArn: string;
  /** Caps concurrent batches below the 5 a new mapping starts with (ScalingConfig.MaximumConcurrency). */
  maximumConcurrency: number;
}

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

export interface StreamMapping extends MappingBase {
  kind: 'kinesis' | 'dynamodb';
  streamArn: string;
  startingPosition: StartingPosition;
  /** Epoch seconds, for AT_TIMESTAMP. */
  startingPositionTimestamp?: number;
  bisectBatchOnFunctionError: boolean;
  /** -1: retry until the record expires. */
  maximumRetryAttempts: number;
  /** -1: no age limit. */
  maximumRecordAgeSeconds: number;
  parallelizationFactor: number;
  /** DestinationConfig.OnFailure.Destination. */
  onFailureDestination?: string;
}

export type EventSourceMapping = SqsMapping | StreamMapping;

/** Properties Lambda accepts that the local pollers do not emulate; each one present gives a warning. */
const NOT_EMULATED = ['TumblingWindowInSeconds', 'KmsKeyArn', 'MetricsConfig', 'ProvisionedPollerConfig'];

/** The function's queue and stream mappings; other event types are not event source mappings and are skipped. */
export function readMappings(spec: FunctionSpec, warnings: string[]): EventSourceMapping[] {
  const mappings: EventSourceMapping[] = [];
  for (const event of spec.events) {
    if (event.type === 'SNS') {
      const queueArn = snsSubscriptionQueueArn(spec, event);
      if (queueArn) mappings.push(readSnsQueueMapping(spec, new MappingProperties(spec, event), queueArn));
      continue;
    }
    if (event.type !== 'SQS' && event.type !== 'Kinesis' && event.type !== 'DynamoDB') continue;
    const props = new MappingProperties(spec, event);
    for (const name of NOT_EMULATED) {
      if (event.properties[name] !== undefined) warnings.push(`${props.label(name)} is not emulated locally; it is ignored.`);
    }
    // An ARN that only a deployed stack has (Fn::ImportValue, another stack's output) was left out when the template was read.
    const source = event.type === 'SQS' ? 'Queue' : 'Stream';
    if (event.properties[source] === undefined) {
      warnings.push(`${props.label(source)} is missing or cannot be resolved locally; this event source mapping is not started.`);
      continue;
    }
    mappings.push(event.type === 'SQS' ? readSqsMapping(spec, props) : readStreamMapping(spec, props, event.type === 'Kinesis' ? 'kinesis' : 'dynamodb'));
  }
  return mappings;
}

function readSqsMapping(spec: FunctionSpec, props: MappingProperties): SqsMapping {
  const queueArn = props.requiredText('Queue', 'the queue ARN, e.g. !GetAtt MyQueue.Arn');
  const batchingWindowSeconds = props.integer('MaximumBatchingWindowInSeconds', 0, 300) ?? 0;
  const batchSize = props.integer('BatchSize', 1, 10_000) ?? 10;
  if (batchSize > 10 && batchingWindowSeconds < 1) {
    throw props.invalid('BatchSize', `is ${batchSize}: a batch size over 10 needs MaximumBatchingWindowInSeconds of at least 1.`);
  }
  return {
    kind: 'sqs',
    ...props.common(spec),
    batchSize,
    batchingWindowSeconds,
    queueArn,
    maximumConcurrency: Math.min(5, props.integer(['ScalingConfig', 'MaximumConcurrency'], 2, 1000) ?? 5),
  };
}

/** SAM's SqsSubscription: the queue the topic delivers to, polled for the function (BatchSize and Enabled of SqsSubscription). */
function readSnsQueueMapping(spec: FunctionSpec, props: MappingProperties, queueArn: string): SqsMapping {
  const enabled = props.get(['SqsSubscription', 'Enabled']);
  return {
    kind: 'sqs',
    id: `${spec.logicalId}.${props.eventId}`,
    functionName: spec.functionName,
    enabled: enabled !== false && enabled !== 'false',
    batchSize: props.integer(['SqsSubscription', 'BatchSize'], 1, 10) ?? 10,
    batchingWindowSeconds: 0,
    reportBatchItemFailures: false,
    queueArn,
    maximumConcurrency: 5,
  };
}

function readStreamMapping(spec: FunctionSpec, props: MappingProperties, kind: 'kinesis' | 'dynamodb'): StreamMapping {
  const streamArn = props.requiredText('Stream', kind === 'kinesis' ? 'the stream ARN, e.g. !GetAtt MyStream.Arn' : 'the table stream ARN, e.g. !GetAtt MyTable.StreamArn');
  const positions: StartingPosition[] = kind === 'kinesis' ? ['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'] : ['TRIM_HORIZON', 'LATEST'];
  const position = props.requiredText('StartingPosition', positions.join(' or '));
  const startingPosition = positions.find((p) => p === position);
  if (!startingPosition) throw props.invalid('StartingPosition', `must be ${positions.join(', ')}, got '${position}'.`);
  const timestamp = props.number('StartingPositionTimestamp');
  if (startingPosition === 'AT_TIMESTAMP' && timestamp === undefined) {
    throw props.invalid('StartingPositionTimestamp', 'is required with StartingPosition AT_TIMESTAMP (epoch seconds).');
  }
  const maximumRecordAgeSeconds = props.integer('MaximumRecordAgeInSeconds', -1, 604_800) ?? -1;
  if (maximumRecordAgeSeconds !== -1 && maximumRecordAgeSeconds < 60) {
    throw props.invalid('MaximumRecordAgeInSeconds', `must be -1 (no limit) or from 60 to 604800, got ${maximumRecordAgeSeconds}.`);
  }
  const onFailure = props.text(['DestinationConfig', 'OnFailure', 'Destination']);
  return {
    kind,
    ...props.common(spec),
    batchSize: props.integer('BatchSize', 1, 10_000) ?? 100,
    batchingWindowSeconds: props.integer('MaximumBatchingWindowInSeconds', 0, 300) ?? 0,
    streamArn,
    startingPosition,
    ...(startingPosition === 'AT_TIMESTAMP' && timestamp !== undefined ? { startingPositionTimestamp: timestamp } : {}),
    bisectBatchOnFunctionError: props.boolean('BisectBatchOnFunctionError') ?? false,
    maximumRetryAttempts: props.integer('MaximumRetryAttempts', -1, 10_000) ?? -1,
    maximumRecordAgeSeconds,
    parallelizationFactor: props.integer('ParallelizationFactor', 1, 10) ?? 1,
    ...(onFailure !== undefined ? { onFailureDestination: onFailure } : {}),
  };
}

/** Typed access to one event's Properties; a bad value is a TEMPLATE_INVALID error pointing at the template. */
class MappingProperties {
  constructor(
    private readonly spec: FunctionSpec,
    private readonly event: EventSourceSpec,
  ) {}

  get eventId(): string {
    return this.event.id;
  }

  label(path: string | string[]): string {
    return `Events.${this.event.id}.Properties.${typeof path === 'string' ? path : path.join('.')} of ${this.spec.logicalId}`;
  }

  invalid(path: string | string[], problem: string): WorkbenchError {
    return new WorkbenchError('TEMPLATE_INVALID', `${this.label(path)} ${problem}`, {
      ...(this.spec.templatePath ? { location: this.spec.location ?? { file: this.spec.templatePath } } : {}),
    });
  }

  common(spec: FunctionSpec): Pick<MappingBase, 'id' | 'functionName' | 'enabled' | 'reportBatchItemFailures' | 'filterPatterns'> {
    const types = this.get('FunctionResponseTypes');
    if (types !== undefined && !(Array.isArray(types) && types.every((t) => t === 'ReportBatchItemFailures'))) {
      throw this.invalid('FunctionResponseTypes', `must be a list holding only ReportBatchItemFailures, got ${JSON.stringify(types)}.`);
    }
    const filters = this.get(['FilterCriteria', 'Filters']);
    if (filters !== undefined && !Array.isArray(filters)) throw this.invalid(['FilterCriteria', 'Filters'], `must be a list of {Pattern}, got ${JSON.stringify(filters)}.`);
    const patterns = (filters ?? []).map((filter: unknown, index: number) => this.filterPattern(filter, index));
    return {
      id: `${spec.logicalId}.${this.event.id}`,
      functionName: this.event.qualifier ? `${spec.functionName}:${this.event.qualifier}` : spec.functionName,
      enabled: this.boolean('Enabled') ?? true,
      reportBatchItemFailures: Array.isArray(types) && types.length > 0,
      ...(patterns.length > 0 ? { filterPatterns: patterns } : {}),
    };
  }

  /** A filter's Pattern: JSON text of an object (an object written in YAML is taken as well). */
  private filterPattern(filter: unknown, index: number): string {
    const path = ['FilterCriteria', 'Filters', String(index), 'Pattern'];
    const pattern = isRecord(filter) ? filter.Pattern : undefined;
    const text = typeof pattern === 'string' ? pattern : isRecord(pattern) ? JSON.stringify(pattern) : undefined;
    let parsed: unknown;
    try {
      parsed = text === undefined ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!isRecord(parsed)) throw this.invalid(path, `must be a JSON object filter pattern, got ${JSON.stringify(pattern)}.`);
    return text as string;
  }

  get(path: string | string[]): unknown {
    let value: unknown = this.event.properties;
    for (const key of typeof path === 'string' ? [path] : path) value = isRecord(value) ? value[key] : undefined;
    return value;
  }

  text(path: string | string[]): string | undefined {
    const value = this.get(path);
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') throw this.invalid(path, `must be a string, got ${JSON.stringify(value)}.`);
    return value;
  }

  requiredText(path: string, expected: string): string {
    const value = this.text(path);
    if (value === undefined) throw this.invalid(path, `is required: ${expected}.`);
    return value;
  }

  number(path: string | string[]): number | undefined {
    const value = this.get(path);
    if (value === undefined) return undefined;
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) throw this.invalid(path, `must be a number, got ${JSON.stringify(value)}.`);
    return number;
  }

  integer(path: string | string[], min: number, max: number): number | undefined {
    const value = this.number(path);
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || value < min || value > max) throw this.invalid(path, `must be an integer from ${min} to ${max}, got ${value}.`);
    return value;
  }

  boolean(path: string): boolean | undefined {
    const value = this.get(path);
    if (value === undefined) return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw this.invalid(path, `must be true or false, got ${JSON.stringify(value)}.`);
  }
}
