// Parses the FunctionName forms the Invoke API accepts (name, name:qualifier, partial and full ARNs) and builds ARNs.
import { ServiceError } from './invocation';

export interface FunctionRef {
  name: string;
  qualifier?: string;
}

const FUNCTION_NAME =
  /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:[a-z]{2}(?:-gov)?-[a-z]+-\d{1}:)?(?:\d{12}:)?(?:function:)?([a-zA-Z0-9-_.]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const QUALIFIER = /^[a-zA-Z0-9$_-]{1,128}$/;

export function parseFunctionRef(functionName: string, qualifier?: string): FunctionRef {
  const match = functionName.length <= 170 ? FUNCTION_NAME.exec(functionName) : null;
  if (!match) {
    throw new ServiceError(
      'InvalidParameterValueException',
      `1 validation error detected: Value '${functionName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ` +
        '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?',
    );
  }
  const [, name, inlineQualifier] = match;
  if (qualifier !== undefined && qualifier !== '' && !QUALIFIER.test(qualifier)) {
    throw new ServiceError('InvalidParameterValueException', `Invalid Qualifier: ${qualifier}`);
  }
  if (inlineQualifier && qualifier && inlineQualifier !== qualifier) {
    throw new ServiceError('InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.');
  }
  return { name: name as string, qualifier: inlineQualifier ?? (qualifier || undefined) };
}

export function functionArn(region: string, accountId: string, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}
