// Parses the FunctionName forms the Invoke API accepts (name, name:qualifier, partial and full ARNs) and builds ARNs.
import { ServiceError } from './invocation';
import { stringViolations, validationException, type ConstraintViolation } from './validation';

export interface FunctionRef {
  name: string;
  qualifier?: string;
}

const FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';
const FUNCTION_NAME =
  /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:[a-z]{2}(?:-gov)?-[a-z]+-\d{1}:)?(?:\d{12}:)?(?:function:)?([a-zA-Z0-9-_.]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const QUALIFIER = /^(|[a-zA-Z0-9$_-]+)$/;

/** The Invoke API's constraints on FunctionName (1-170, pattern) and Qualifier (1-128, pattern), as in Lambda's service model. */
export function functionRefViolations(functionName: string, qualifier?: string): ConstraintViolation[] {
  const violations = stringViolations(functionName, 'functionName', {
    minLength: 1,
    maxLength: 170,
    pattern: { regex: FUNCTION_NAME, text: FUNCTION_NAME_PATTERN },
  });
  if (qualifier !== undefined) {
    violations.push(...stringViolations(qualifier, 'qualifier', { minLength: 1, maxLength: 128, pattern: { regex: QUALIFIER, text: '(|[a-zA-Z0-9$_-]+)' } }));
  }
  return violations;
}

export function parseFunctionRef(functionName: string, qualifier?: string): FunctionRef {
  const violations = functionRefViolations(functionName, qualifier);
  if (violations.length) throw validationException(violations);
  const [, name, inlineQualifier] = FUNCTION_NAME.exec(functionName) as RegExpExecArray;
  if (inlineQualifier && qualifier && inlineQualifier !== qualifier) {
    throw new ServiceError('InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.');
  }
  return { name: name as string, qualifier: inlineQualifier ?? (qualifier || undefined) };
}

export function functionArn(region: string, accountId: string, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}
