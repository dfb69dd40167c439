// Lambda API concurrency actions: reserved concurrency, provisioned concurrency configs (IN_PROGRESS -> READY), GetAccountSettings.
import type { ProvisionedRecord } from '../../functions/functionRecords';
import { ServiceError } from '../../service/invocation';
import { functionTarget } from './functionActions';
import { listPage } from './listPages';
import type { ActionCall, LambdaAction } from './lambdaActionTypes';

/** Lambda keeps this much of the account's concurrency unreserved. */
const MINIMUM_UNRESERVED = 100;

function reservedElsewhere(call: ActionCall, functionName: string): number {
  return call.store.list()
    .filter((record) => record.name !== functionName)
    .reduce((sum, record) => sum + (call.store.spec(record.name).reservedConcurrency ?? 0), 0);
}

const putFunctionConcurrency: LambdaAction = async (call) => {
  const { record, store } = functionTarget(call);
  const value = call.input.ReservedConcurrentExecutions as number;
  if (reservedElsewhere(call, record.name) + value > call.context.concurrentExecutions - MINIMUM_UNRESERVED) {
    throw new ServiceError('InvalidParameterValueException',
      `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MINIMUM_UNRESERVED}].`);
  }
  await store.setReservedConcurrency(record.name, value);
  return { body: { ReservedConcurrentExecutions: value } };
};

const getFunctionConcurrency: LambdaAction = async (call) => {
  const { record, store } = functionTarget(call);
  const value = store.spec(record.name).reservedConcurrency;
  return { body: value === undefined ? {} : { ReservedConcurrentExecutions: value } };
};

const deleteFunctionConcurrency: LambdaAction = async (call) => {
  const { record, store } = functionTarget(call);
  await store.setReservedConcurrency(record.name, undefined);
  return { status: 204 };
};

function provisionedBody(config: ProvisionedRecord, functionArn?: string): Record<string, unknown> {
  return {
    ...(functionArn ? { FunctionArn: functionArn } : {}),
    RequestedProvisionedConcurrentExecutions: config.requested,
    AvailableProvisionedConcurrentExecutions: config.available,
    AllocatedProvisionedConcurrentExecutions: config.allocated,
    Status: config.status,
    ...(config.statusReason ? { StatusReason: config.statusReason } : {}),
    LastModified: config.lastModified,
  };
}

const putProvisionedConcurrencyConfig: LambdaAction = async (call) => {
  const { record, qualifier, store } = functionTarget(call);
  const config = await store.putProvisioned(record.name, qualifier ?? '$LATEST', call.input.ProvisionedConcurrentExecutions as number);
  const { service } = call.context;
  // The environments initialise after the answer (IN_PROGRESS), then the config is READY (or FAILED).
  void store.provision(record.name, config.qualifier, (version, count) => service.provision(record.name, version, count)).catch(() => undefined);
  return { body: provisionedBody(config) };
};

const getProvisionedConcurrencyConfig: LambdaAction = async (call) => {
  const { record, qualifier, store } = functionTarget(call);
  return { body: provisionedBody(store.getProvisioned(record.name, qualifier ?? '$LATEST')) };
};

const deleteProvisionedConcurrencyConfig: LambdaAction = async (call) => {
  const { record, qualifier, store } = functionTarget(call);
  const version = await store.deleteProvisioned(record.name, qualifier ?? '$LATEST');
  await call.context.service.deprovision(record.name, version);
  return { status: 204 };
};

const listProvisionedConcurrencyConfigs: LambdaAction = async (call) => {
  const { record, store } = functionTarget(call);
  return {
    body: await listPage('ProvisionedConcurrencyConfigs', [...record.provisioned.values()], call.input,
      (config) => provisionedBody(config, store.arn(record.name, config.qualifier))),
  };
};

const getAccountSettings: LambdaAction = async (call) => {
  const { store } = call;
  const functions = store.list();
  const reserved = reservedElsewhere(call, '');
  let totalCodeSize = 0;
  for (const record of functions) {
    totalCodeSize += record.codeSize ?? 0;
    for (const version of record.versions.values()) totalCodeSize += version.codeSize;
  }
  return {
    body: {
      AccountLimit: {
        TotalCodeSize: 80_530_636_800,
        CodeSizeUnzipped: 262_144_000,
        CodeSizeZipped: 52_428_800,
        ConcurrentExecutions: call.context.concurrentExecutions,
        UnreservedConcurrentExecutions: call.context.concurrentExecutions - reserved,
      },
      AccountUsage: { TotalCodeSize: totalCodeSize, FunctionCount: functions.length },
    },
  };
};

export const CONCURRENCY_ACTIONS: Record<string, LambdaAction> = {
  PutFunctionConcurrency: putFunctionConcurrency,
  GetFunctionConcurrency: getFunctionConcurrency,
  DeleteFunctionConcurrency: deleteFunctionConcurrency,
  PutProvisionedConcurrencyConfig: putProvisionedConcurrencyConfig,
  GetProvisionedConcurrencyConfig: getProvisionedConcurrencyConfig,
  DeleteProvisionedConcurrencyConfig: deleteProvisionedConcurrencyConfig,
  ListProvisionedConcurrencyConfigs: listProvisionedConcurrencyConfigs,
  GetAccountSettings: getAccountSettings,
};
