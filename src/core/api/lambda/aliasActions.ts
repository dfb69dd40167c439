// Lambda API alias actions: CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases (RoutingConfig with AdditionalVersionWeights).
import type { AliasRecord } from '../../functions/functionRecords';
import { functionArn } from '../../service/functionRef';
import type { AccountContext } from '../functionConfiguration';
import { functionTarget, str } from './functionActions';
import { listPage } from './listPages';
import type { ActionCall, LambdaAction } from './lambdaActionTypes';

function aliasConfiguration(functionName: string, alias: AliasRecord, account: AccountContext): Record<string, unknown> {
  return {
    AliasArn: functionArn(account.region, account.accountId, functionName, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    RevisionId: alias.revisionId,
    ...(alias.additionalVersionWeights ? { RoutingConfig: { AdditionalVersionWeights: alias.additionalVersionWeights } } : {}),
  };
}

/** RoutingConfig as given: absent (keep), {} or no weights (clear), or the weights. */
function routingWeights(call: ActionCall): Record<string, number> | null | undefined {
  const routing = call.input.RoutingConfig as { AdditionalVersionWeights?: Record<string, number> } | undefined;
  if (routing === undefined) return undefined;
  return routing.AdditionalVersionWeights ?? null;
}

function putAlias(create: boolean): LambdaAction {
  return async (call) => {
    const { record, store } = functionTarget(call);
    const alias = await store.putAlias(record.name, str(call.input, 'Name') ?? '', {
      functionVersion: str(call.input, 'FunctionVersion'),
      description: str(call.input, 'Description'),
      weights: routingWeights(call),
      revisionId: str(call.input, 'RevisionId'),
    }, create);
    return { body: aliasConfiguration(record.name, alias, call.context.account) };
  };
}

const getAlias: LambdaAction = async (call) => {
  const { record, store } = functionTarget(call);
  return { body: aliasConfiguration(record.name, store.getAlias(record.name, str(call.input, 'Name') ?? ''), call.context.account) };
};

const deleteAlias: LambdaAction = async (call) => {
  const { record, store } = functionTarget(call);
  await store.deleteAlias(record.name, str(call.input, 'Name') ?? '');
  return { status: 204 };
};

const listAliases: LambdaAction = async (call) => {
  const { record } = functionTarget(call);
  const version = str(call.input, 'FunctionVersion');
  const aliases = [...record.aliases.values()]
    .filter((alias) => version === undefined || alias.functionVersion === version)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { body: await listPage('Aliases', aliases, call.input, (alias) => aliasConfiguration(record.name, alias, call.context.account)) };
};

export const ALIAS_ACTIONS: Record<string, LambdaAction> = {
  CreateAlias: putAlias(true),
  GetAlias: getAlias,
  UpdateAlias: putAlias(false),
  DeleteAlias: deleteAlias,
  ListAliases: listAliases,
};
