// Lambda API function URL actions: Create / Get / Update / Delete / ListFunctionUrlConfig(s), per $LATEST or alias; served at once.
import type { UrlRecord } from '../../functions/functionRecords';
import type { FunctionStore } from '../../functions/functionStore';
import type { FunctionUrlSpec } from '../../template/functionSpec';
import type { AccountContext } from '../functionConfiguration';
import { urlId } from '../functionUrls';
import { functionTarget, str } from './functionActions';
import { listPage } from './listPages';
import type { ActionCall, LambdaAction } from './lambdaActionTypes';

/** Where the URL is served: the local server's address while the URL servers run, else the form AWS gives it. */
async function urlOf(store: FunctionStore, functionName: string, qualifier: string, account: AccountContext): Promise<string> {
  const local = await store.urlHost?.open(functionName, qualifier);
  return local ?? `https://${urlId(qualifier === '$LATEST' ? functionName : `${functionName}:${qualifier}`)}.lambda-url.${account.region}.on.aws/`;
}

async function urlConfigBody(call: ActionCall, functionName: string, config: UrlRecord, withModified: boolean): Promise<Record<string, unknown>> {
  const { store, context } = call;
  return {
    FunctionUrl: await urlOf(store, functionName, config.qualifier, context.account),
    FunctionArn: store.arn(functionName, config.qualifier === '$LATEST' ? undefined : config.qualifier),
    AuthType: config.authType,
    ...(config.cors ? { Cors: config.cors } : {}),
    CreationTime: config.creationTime,
    ...(withModified ? { LastModifiedTime: config.lastModifiedTime } : {}),
    InvokeMode: config.invokeMode,
  };
}

/** The URL settings a request gives (absent members keep their value on update). */
function urlInput(call: ActionCall): Partial<FunctionUrlSpec> {
  const input: Partial<FunctionUrlSpec> = {};
  const authType = str(call.input, 'AuthType');
  if (authType === 'NONE' || authType === 'AWS_IAM') input.authType = authType;
  const invokeMode = str(call.input, 'InvokeMode');
  if (invokeMode === 'BUFFERED' || invokeMode === 'RESPONSE_STREAM') input.invokeMode = invokeMode;
  if (call.input.Cors !== undefined) input.cors = call.input.Cors as Record<string, unknown>;
  return input;
}

function putUrl(create: boolean): LambdaAction {
  return async (call) => {
    const { record, qualifier, store } = functionTarget(call);
    const config = await store.putUrl(record.name, qualifier, urlInput(call), create);
    return { body: await urlConfigBody(call, record.name, config, !create) };
  };
}

const getUrl: LambdaAction = async (call) => {
  const { record, qualifier, store } = functionTarget(call);
  return { body: await urlConfigBody(call, record.name, store.getUrl(record.name, qualifier), true) };
};

const deleteUrl: LambdaAction = async (call) => {
  const { record, qualifier, store } = functionTarget(call);
  await store.deleteUrl(record.name, qualifier);
  return { status: 204 };
};

const listUrls: LambdaAction = async (call) => {
  const { record } = functionTarget(call);
  const configs = [...record.urls.values()].sort((a, b) => (a.qualifier < b.qualifier ? -1 : a.qualifier > b.qualifier ? 1 : 0));
  return { body: await listPage('FunctionUrlConfigs', configs, call.input, (config) => urlConfigBody(call, record.name, config, true)) };
};

export const FUNCTION_URL_ACTIONS: Record<string, LambdaAction> = {
  CreateFunctionUrlConfig: putUrl(true),
  GetFunctionUrlConfig: getUrl,
  UpdateFunctionUrlConfig: putUrl(false),
  DeleteFunctionUrlConfig: deleteUrl,
  ListFunctionUrlConfigs: listUrls,
};
