// Event source mappings made or changed through the Lambda API: AWS's parameter rules turn a request into the pollers' settings.
import { ServiceError } from '../invocation';
import type { EventSourceMapping, StartingPosition } from './mappingConfig';

/** The validated members of a Create / UpdateEventSourceMapping request (model names). */
export type MappingRequest = Record<string, unknown>;

/** The SQS, Kinesis or DynamoDB stream an event source ARN names. */
function sourceKind(arn: string): EventSourceMapping['kind'] {
  const service = arn.split(':')[2];
  if (service === 'sqs') return 'sqs';
  if (service === 'kinesis' && /:stream\/[^/]+$/.test(arn)) return 'kinesis';
  if (service === 'dynamodb' && /:table\/[^/]+\/stream\/[^/]+$/.test(arn)) return 'dynamodb';
  throw invalid(`Unrecognized event source, must be kinesis, dynamodb stream or sqs. Unsupported source arn : ${arn}`);
}

/** CreateEventSourceMapping: Lambda's defaults per source (batch 10 for SQS, 100 for streams), then the request's values. */
export function createdMapping(id: string, functionName: string, request: MappingRequest): EventSourceMapping {
  const arn = text(request, 'EventSourceArn');
  if (arn === undefined) throw invalid('Unrecognized event source.');
  const kind = sourceKind(arn);
  const common = { id, functionName, enabled: true, batchingWindowSeconds: 0, reportBatchItemFailures: false };
  if (kind === 'sqs') return changedMapping({ ...common, kind, batchSize: 10, queueArn: arn, maximumConcurrency: 5 }, request);
  const position = text(request, 'StartingPosition') as StartingPosition | undefined;
  if (position === undefined) {
    throw invalid("1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.");
  }
  if (kind === 'dynamodb' && position === 'AT_TIMESTAMP') throw invalid(`Unsupported starting position for arn type: ${arn}`);
  const timestamp = request.StartingPositionTimestamp;
  if (position === 'AT_TIMESTAMP' && typeof timestamp !== 'number') {
    throw invalid('StartingPositionTimestamp must be provided when StartingPosition is AT_TIMESTAMP.');
  }
  return changedMapping({
    ...common,
    kind,
    batchSize: 100,
    streamArn: arn,
    startingPosition: position,
    ...(position === 'AT_TIMESTAMP' ? { startingPositionTimestamp: timestamp as number } : {}),
    bisectBatchOnFunctionError: false,
    maximumRetryAttempts: -1,
    maximumRecordAgeSeconds: -1,
    parallelizationFactor: 1,
  }, request);
}

/** UpdateEventSourceMapping (and the rest of Create): the request's values over the mapping's, checked as Lambda checks them. */
export function changedMapping(mapping: EventSourceMapping, request: MappingRequest): EventSourceMapping {
  const next: EventSourceMapping = { ...mapping };
  const integer = (key: string): number | undefined => (typeof request[key] === 'number' ? (request[key] as number) : undefined);
  if (typeof request.Enabled === 'boolean') next.enabled = request.Enabled;
  next.batchSize = integer('BatchSize') ?? next.batchSize;
  next.batchingWindowSeconds = integer('MaximumBatchingWindowInSeconds') ?? next.batchingWindowSeconds;
  if (Array.isArray(request.FunctionResponseTypes)) next.reportBatchItemFailures = request.FunctionResponseTypes.includes('ReportBatchItemFailures');
  const filters = (request.FilterCriteria as { Filters?: Array<{ Pattern?: string }> } | undefined)?.Filters;
  if (request.FilterCriteria !== undefined) {
    const patterns = (filters ?? []).map((filter) => filter.Pattern ?? '');
    if (patterns.some((pattern) => !isPatternObject(pattern))) throw invalid('Invalid filter pattern definition.');
    if (patterns.length > 0) next.filterPatterns = patterns;
    else delete next.filterPatterns;
  }
  const destinations = request.DestinationConfig as { OnSuccess?: { Destination?: string }; OnFailure?: { Destination?: string } } | undefined;
  if (destinations?.OnSuccess?.Destination) throw invalid('Unsupported DestinationConfig parameter for given event source mapping type.');
  if (next.kind === 'sqs') {
    for (const key of STREAM_ONLY) if (request[key] !== undefined) throw invalid(`Unsupported ${key} parameter for given event source mapping type.`);
    const maximumConcurrency = (request.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency;
    if (maximumConcurrency !== undefined) next.maximumConcurrency = Math.min(5, maximumConcurrency);
    if (next.batchSize > 10 && next.batchingWindowSeconds === 0) {
      throw invalid('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
    }
    return next;
  }
  next.parallelizationFactor = integer('ParallelizationFactor') ?? next.parallelizationFactor;
  next.maximumRetryAttempts = integer('MaximumRetryAttempts') ?? next.maximumRetryAttempts;
  next.maximumRecordAgeSeconds = integer('MaximumRecordAgeInSeconds') ?? next.maximumRecordAgeSeconds;
  if (typeof request.BisectBatchOnFunctionError === 'boolean') next.bisectBatchOnFunctionError = request.BisectBatchOnFunctionError;
  if (destinations?.OnFailure) {
    if (destinations.OnFailure.Destination) next.onFailureDestination = destinations.OnFailure.Destination;
    else delete next.onFailureDestination;
  }
  if (next.maximumRecordAgeSeconds !== -1 && next.maximumRecordAgeSeconds < 60) {
    throw invalid(`MaximumRecordAgeInSeconds must be -1 or between 60 and 604800, got ${next.maximumRecordAgeSeconds}.`);
  }
  return next;
}

/** Settings of Kinesis and DynamoDB stream mappings that an SQS mapping refuses. */
const STREAM_ONLY = ['StartingPosition', 'ParallelizationFactor', 'MaximumRetryAttempts', 'MaximumRecordAgeInSeconds', 'BisectBatchOnFunctionError', 'TumblingWindowInSeconds'];

function isPatternObject(pattern: string): boolean {
  try {
    const parsed: unknown = JSON.parse(pattern);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

function text(request: MappingRequest, key: string): string | undefined {
  return typeof request[key] === 'string' ? (request[key] as string) : undefined;
}

function invalid(message: string): ServiceError {
  return new ServiceError('InvalidParameterValueException', message, { Type: 'User' });
}
