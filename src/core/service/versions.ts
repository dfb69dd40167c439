// Resolves an invoke's qualifier ($LATEST, a version, an alias) to the version that runs, as Lambda does.
import type { FunctionSpec } from '../template/functionSpec';
import { functionArn } from './functionRef';
import { ServiceError } from './invocation';

export interface ResolvedVersion {
  /** $LATEST or a version number. */
  version: string;
  /** The ARN the runtime sees as invokedFunctionArn (qualified only when the caller qualified it). */
  invokedArn: string;
}

/**
 * Locally every published version runs the current code. A function with AutoPublishAlias has version 1 and that
 * alias pointing at it, as after its first `sam deploy`.
 */
export function resolveVersion(spec: FunctionSpec, qualifier: string | undefined, region: string, accountId: string): ResolvedVersion {
  const arn = (q?: string) => functionArn(region, accountId, spec.functionName, q);
  if (qualifier === undefined || qualifier === '$LATEST') {
    return { version: '$LATEST', invokedArn: arn(qualifier) };
  }
  if (spec.autoPublishAlias && (qualifier === spec.autoPublishAlias || qualifier === '1')) {
    return { version: '1', invokedArn: arn(qualifier) };
  }
  throw new ServiceError('ResourceNotFoundException', `Function not found: ${arn(qualifier)}`, { Type: 'User' });
}
