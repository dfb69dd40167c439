// Request validation errors worded as AWS words them: "N validation error(s) detected: Value '...' at '...' failed to satisfy constraint: ...", and bodies that are not JSON.
import { ServiceError } from './invocation';

export interface ConstraintViolation {
  value: string;
  /** The member as AWS names it (camelCase), e.g. functionName, qualifier, invocationType. */
  member: string;
  /** e.g. "Member must satisfy regular expression pattern: ..." */
  constraint: string;
}

export function validationException(violations: ConstraintViolation[]): ServiceError {
  const count = violations.length === 1 ? '1 validation error detected' : `${violations.length} validation errors detected`;
  const details = violations.map((v) => `Value '${v.value}' at '${v.member}' failed to satisfy constraint: ${v.constraint}`);
  return new ServiceError('ValidationException', `${count}: ${details.join('; ')}`);
}

/** The violations of a string member's length and pattern (a full match of `pattern`, as Smithy patterns are checked). */
export function stringViolations(
  value: string,
  member: string,
  rules: { minLength?: number; maxLength?: number; pattern?: { regex: RegExp; text: string } },
): ConstraintViolation[] {
  const found: ConstraintViolation[] = [];
  if (rules.pattern && !rules.pattern.regex.test(value)) {
    found.push({ value, member, constraint: `Member must satisfy regular expression pattern: ${rules.pattern.text}` });
  }
  if (rules.minLength !== undefined && value.length < rules.minLength) {
    found.push({ value, member, constraint: `Member must have length greater than or equal to ${rules.minLength}` });
  }
  if (rules.maxLength !== undefined && value.length > rules.maxLength) {
    found.push({ value, member, constraint: `Member must have length less than or equal to ${rules.maxLength}` });
  }
  return found;
}

export function enumViolations(value: string, member: string, allowed: readonly string[]): ConstraintViolation[] {
  return allowed.includes(value) ? [] : [{ value, member, constraint: `Member must satisfy enum value set: [${allowed.join(', ')}]` }];
}

/** Lambda's answer to a body (an API request or an invocation payload) that is not JSON: InvalidRequestContentException. */
export function invalidRequestContent(detail: string): ServiceError {
  return new ServiceError('InvalidRequestContentException', `Could not parse request body into json: ${detail}`, { Type: 'User' });
}

/** The body parsed as JSON, or invalidRequestContent with the parser's reason. */
export function parseRequestJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw invalidRequestContent((error as Error).message);
  }
}
