// Lambda API asynchronous invocation settings: Put / Update / Get / Delete / ListFunctionEventInvokeConfig(s), per version or alias.
import type { EventInvokeConfigRecord } from '../../functions/functionRecords';
import { lambdaTimestamp } from '../../functions/functionRecords';
import { ServiceError } from '../../service/invocation';
import { functionTarget } from './functionActions';
import { listPage } from './listPages';
import type { ActionCall, LambdaAction } from './lambdaActionTypes';

type Destinations = { OnSuccess?: { Destination?: string }; OnFailure?: { Destination?: string } };

function configBody(config: EventInvokeConfigRecord, functionArn: string): Record<string, unknown> {
  const destinations: Destinations = {};
  if (config.onSuccess) destinations.OnSuccess = { Destination: config.onSuccess };
  if (config.onFailure) destinations.OnFailure = { Destination: config.onFailure };
  return {
    // A timestamp member: epoch seconds in REST-JSON.
    LastModified: Date.parse(config.lastModified.replace('+0000', 'Z')) / 1000,
    FunctionArn: functionArn,
    ...(config.maximumRetryAttempts !== undefined ? { MaximumRetryAttempts: config.maximumRetryAttempts } : {}),
    ...(config.maximumEventAgeInSeconds !== undefined ? { MaximumEventAgeInSeconds: config.maximumEventAgeInSeconds } : {}),
    DestinationConfig: destinations,
  };
}

/** The request's settings over `base` (UpdateFunctionEventInvokeConfig keeps what the request leaves out; Put starts empty). */
function merged(call: ActionCall, qualifier: string, base: EventInvokeConfigRecord | undefined): EventInvokeConfigRecord {
  const destinations = call.input.DestinationConfig as Destinations | undefined;
  // Changed through the API, a template's config is the API's from now on (the next load keeps it).
  const { fromTemplate: _fromTemplate, ...kept } = base ?? {};
  const config: EventInvokeConfigRecord = { ...kept, qualifier, lastModified: lambdaTimestamp() };
  if (typeof call.input.MaximumRetryAttempts === 'number') config.maximumRetryAttempts = call.input.MaximumRetryAttempts;
  if (typeof call.input.MaximumEventAgeInSeconds === 'number') config.maximumEventAgeInSeconds = call.input.MaximumEventAgeInSeconds;
  if (destinations?.OnSuccess) config.onSuccess = destinations.OnSuccess.Destination || undefined;
  if (destinations?.OnFailure) config.onFailure = destinations.OnFailure.Destination || undefined;
  return config;
}

function putConfig(update: boolean): LambdaAction {
  return async (call) => {
    const { record, qualifier, store } = functionTarget(call);
    const key = qualifier ?? '$LATEST';
    store.versionOf(record, key);
    const existing = record.eventInvokeConfigs.get(key);
    if (update && !existing) throw notFound(store.arn(record.name, key));
    const config = merged(call, key, update ? existing : undefined);
    await store.putEventInvokeConfig(record.name, config);
    return { body: configBody(config, store.arn(record.name, key)) };
  };
}

function notFound(arn: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', `The function ${arn} doesn't have an EventInvokeConfig`, { Type: 'User' });
}

const getConfig: LambdaAction = async (call) => {
  const { record, qualifier, store } = functionTarget(call);
  const key = qualifier ?? '$LATEST';
  const config = record.eventInvokeConfigs.get(key);
  if (!config) throw notFound(store.arn(record.name, key));
  return { body: configBody(config, store.arn(record.name, key)) };
};

const deleteConfig: LambdaAction = async (call) => {
  const { record, qualifier, store } = functionTarget(call);
  const key = qualifier ?? '$LATEST';
  if (!record.eventInvokeConfigs.has(key)) throw notFound(store.arn(record.name, key));
  await store.deleteEventInvokeConfig(record.name, key);
  return { status: 204 };
};

const listConfigs: LambdaAction = async (call) => {
  const { record, store } = functionTarget(call);
  return {
    body: await listPage('FunctionEventInvokeConfigs', [...record.eventInvokeConfigs.values()], call.input,
      (config) => configBody(config, store.arn(record.name, config.qualifier))),
  };
};

export const EVENT_INVOKE_ACTIONS: Record<string, LambdaAction> = {
  PutFunctionEventInvokeConfig: putConfig(false),
  UpdateFunctionEventInvokeConfig: putConfig(true),
  GetFunctionEventInvokeConfig: getConfig,
  DeleteFunctionEventInvokeConfig: deleteConfig,
  ListFunctionEventInvokeConfigs: listConfigs,
};
