// Every Lambda API action this endpoint serves, by the operation name of AWS's service model.
import { handleInvoke } from '../invokeRoute';
import { ALIAS_ACTIONS } from './aliasActions';
import { CONCURRENCY_ACTIONS } from './concurrencyActions';
import { EVENT_INVOKE_ACTIONS } from './eventInvokeActions';
import { EVENT_SOURCE_MAPPING_ACTIONS } from './eventSourceMappingActions';
import { FUNCTION_ACTIONS, str } from './functionActions';
import { FUNCTION_URL_ACTIONS } from './functionUrlActions';
import type { LambdaAction } from './lambdaActionTypes';
import { LAYER_ACTIONS } from './layerActions';
import { TAG_ACTIONS } from './tagActions';

const invoke: LambdaAction = async (call) => {
  const name = str(call.input, 'FunctionName') ?? '';
  await handleInvoke(call.context.service, call.req, call.res, encodeURIComponent(name), call.query);
};

export const LAMBDA_ACTIONS: Record<string, LambdaAction> = {
  Invoke: invoke,
  ...FUNCTION_ACTIONS,
  ...ALIAS_ACTIONS,
  ...CONCURRENCY_ACTIONS,
  ...EVENT_INVOKE_ACTIONS,
  ...TAG_ACTIONS,
  ...FUNCTION_URL_ACTIONS,
  ...EVENT_SOURCE_MAPPING_ACTIONS,
  ...LAYER_ACTIONS,
};
