// Lambda API tags on functions: TagResource, UntagResource, ListTags.
import { ServiceError } from '../../service/invocation';
import type { FunctionRecord } from '../../functions/functionRecords';
import { str } from './functionActions';
import type { ActionCall, LambdaAction } from './lambdaActionTypes';

const FUNCTION_ARN = /^arn:aws[a-zA-Z-]*:lambda:[^:]+:\d{12}:function:([a-zA-Z0-9-_]+)(?::(.+))?$/;

/** The function a tagged resource ARN names; versions and aliases carry no tags of their own. */
function taggedFunction(call: ActionCall): FunctionRecord {
  const arn = str(call.input, 'Resource') ?? '';
  const match = FUNCTION_ARN.exec(arn);
  if (!match) throw new ServiceError('ResourceNotFoundException', `Resource not found: ${arn}`, { Type: 'User' });
  if (match[2] !== undefined) {
    throw new ServiceError('InvalidParameterValueException', `Tags are not supported on function versions or aliases: ${arn}`);
  }
  const record = call.store.get(match[1] as string);
  if (!record) throw call.store.notFound(match[1] as string);
  return record;
}

const tagResource: LambdaAction = async (call) => {
  const record = taggedFunction(call);
  await call.store.setTags(record.name, { ...record.tags, ...(call.input.Tags as Record<string, string>) });
  return { status: 204 };
};

const untagResource: LambdaAction = async (call) => {
  const record = taggedFunction(call);
  const remove = new Set(call.input.TagKeys as string[]);
  await call.store.setTags(record.name, Object.fromEntries(Object.entries(record.tags).filter(([key]) => !remove.has(key))));
  return { status: 204 };
};

const listTags: LambdaAction = async (call) => ({ body: { Tags: taggedFunction(call).tags } });

export const TAG_ACTIONS: Record<string, LambdaAction> = {
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTags: listTags,
};
