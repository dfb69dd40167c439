// Lambda API event source mappings: Create / Get / Update / Delete / ListEventSourceMappings over the local queue and stream pollers.
import { parseFunctionRef } from '../../service/functionRef';
import { ServiceError } from '../../service/invocation';
import type { EventSources, MappingEntry } from '../../service/eventSources/eventSources';
import { changedMapping, createdMapping } from '../../service/eventSources/mappingChanges';
import { str } from './functionActions';
import { listPage } from './listPages';
import type { ActionCall, LambdaAction } from './lambdaActionTypes';

/** ListEventSourceMappings returns up to 100 mappings a page. */
const MAPPINGS_PAGE = 100;

/** The running pollers; without them (no `lambda-workbench start`) nothing can consume, so nothing is created. */
function eventSources(call: ActionCall): EventSources {
  const sources = call.context.eventSources?.();
  if (!sources) {
    throw new ServiceError('InvalidParameterValueException',
      'Event source mappings are emulated by `lambda-workbench start`, which polls the local queues and streams; this endpoint has no pollers.', { Type: 'User' });
  }
  return sources;
}

/** The function (name, ARN or name:qualifier) a mapping invokes, as the pollers name it: `name` or `name:qualifier`. */
function mappedFunction(call: ActionCall): string {
  const ref = parseFunctionRef(str(call.input, 'FunctionName') ?? '');
  const record = call.store.get(ref.name);
  if (!record) throw new ServiceError('InvalidParameterValueException', 'Function does not exist', { Type: 'User' });
  if (ref.qualifier !== undefined) call.store.versionOf(record, ref.qualifier);
  return ref.qualifier === undefined || ref.qualifier === '$LATEST' ? record.name : `${record.name}:${ref.qualifier}`;
}

function mappingBody(call: ActionCall, entry: MappingEntry): Record<string, unknown> {
  const { mapping } = entry;
  const { account } = call.context;
  const target = parseFunctionRef(mapping.functionName);
  const common = {
    UUID: entry.uuid,
    BatchSize: mapping.batchSize,
    MaximumBatchingWindowInSeconds: mapping.batchingWindowSeconds,
    EventSourceArn: mapping.kind === 'sqs' ? mapping.queueArn : mapping.streamArn,
    ...(mapping.filterPatterns ? { FilterCriteria: { Filters: mapping.filterPatterns.map((pattern) => ({ Pattern: pattern })) } } : {}),
    FunctionArn: call.store.arn(target.name, target.qualifier),
    // A timestamp member: epoch seconds in REST-JSON.
    LastModified: entry.lastModified / 1000,
    State: entry.state,
    StateTransitionReason: 'USER_INITIATED',
    FunctionResponseTypes: mapping.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
    EventSourceMappingArn: `arn:aws:lambda:${account.region}:${account.accountId}:event-source-mapping:${entry.uuid}`,
  };
  if (mapping.kind === 'sqs') return common;
  return {
    ...common,
    StartingPosition: mapping.startingPosition,
    ...(mapping.startingPositionTimestamp !== undefined ? { StartingPositionTimestamp: mapping.startingPositionTimestamp } : {}),
    ParallelizationFactor: mapping.parallelizationFactor,
    LastProcessingResult: 'No records processed',
    DestinationConfig: { OnFailure: mapping.onFailureDestination ? { Destination: mapping.onFailureDestination } : {} },
    MaximumRecordAgeInSeconds: mapping.maximumRecordAgeSeconds,
    BisectBatchOnFunctionError: mapping.bisectBatchOnFunctionError,
    MaximumRetryAttempts: mapping.maximumRetryAttempts,
    TumblingWindowInSeconds: 0,
  };
}

/** The transition (Creating, Enabling, Disabling, Updating, Deleting) ends once the answer is sent, as AWS reports it in between. */
function settleAfterAnswer(call: ActionCall, sources: EventSources, entry: MappingEntry): void {
  call.res.once('finish', () => void sources.settle(entry.uuid));
}

const createMapping: LambdaAction = async (call) => {
  const sources = eventSources(call);
  const functionName = mappedFunction(call);
  const entry = await sources.create(createdMapping('', functionName, call.input));
  settleAfterAnswer(call, sources, entry);
  return { body: mappingBody(call, entry) };
};

const getMapping: LambdaAction = async (call) => {
  const sources = call.context.eventSources?.();
  if (!sources) throw new ServiceError('ResourceNotFoundException', 'The resource you requested does not exist.', { Type: 'User' });
  return { body: mappingBody(call, sources.get(str(call.input, 'UUID') ?? '')) };
};

const updateMapping: LambdaAction = async (call) => {
  const sources = eventSources(call);
  const uuid = str(call.input, 'UUID') ?? '';
  const current = sources.get(uuid);
  let next = changedMapping(current.mapping, call.input);
  if (call.input.FunctionName !== undefined) next = { ...next, functionName: mappedFunction(call) };
  const entry = await sources.update(uuid, next);
  settleAfterAnswer(call, sources, entry);
  return { body: mappingBody(call, entry) };
};

const deleteMapping: LambdaAction = async (call) => {
  const sources = eventSources(call);
  const entry = await sources.delete(str(call.input, 'UUID') ?? '');
  settleAfterAnswer(call, sources, entry);
  return { body: mappingBody(call, entry) };
};

const listMappings: LambdaAction = async (call) => {
  const sourceArn = str(call.input, 'EventSourceArn');
  const functionRef = str(call.input, 'FunctionName');
  const wanted = functionRef === undefined ? undefined : parseFunctionRef(functionRef);
  const entries = (call.context.eventSources?.()?.list() ?? []).filter((entry) => {
    const { mapping } = entry;
    if (sourceArn !== undefined && (mapping.kind === 'sqs' ? mapping.queueArn : mapping.streamArn) !== sourceArn) return false;
    if (!wanted) return true;
    const target = parseFunctionRef(mapping.functionName);
    return target.name === (call.store.get(wanted.name)?.name ?? wanted.name) && (wanted.qualifier === undefined || target.qualifier === wanted.qualifier);
  });
  return { body: await listPage('EventSourceMappings', entries, call.input, (entry) => mappingBody(call, entry), MAPPINGS_PAGE) };
};

export const EVENT_SOURCE_MAPPING_ACTIONS: Record<string, LambdaAction> = {
  CreateEventSourceMapping: createMapping,
  GetEventSourceMapping: getMapping,
  UpdateEventSourceMapping: updateMapping,
  DeleteEventSourceMapping: deleteMapping,
  ListEventSourceMappings: listMappings,
};
