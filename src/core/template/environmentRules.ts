// Lambda's rules for a function's environment variables (reserved names, key syntax, the 4 KB total), worded as Lambda words them.

/** Names the platform sets; a function's configuration cannot set them. */
const RESERVED_VARIABLES = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);

/** The aggregate size Lambda allows, measured on the variables as JSON. */
const MAX_ENVIRONMENT_BYTES = 4096;

/** The key syntax of the Lambda API model (EnvironmentVariableName): a letter, then one or more letters, digits or _. */
const KEY_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]+$/;

/** Why Lambda would refuse these variables (CreateFunction / UpdateFunctionConfiguration), or undefined. */
export function environmentProblem(variables: Record<string, string>): string | undefined {
  const badKeys = Object.keys(variables).filter((key) => !KEY_PATTERN.test(key));
  if (badKeys.length) {
    return `Environment variable names must start with a letter, have at least 2 characters and use only letters, digits and _: ${badKeys.map((key) => `'${key}'`).join(', ')}.`;
  }
  const reserved = Object.keys(variables).filter((key) => RESERVED_VARIABLES.has(key));
  if (reserved.length) {
    return 'Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. ' +
      `Reserved keys used in this request: ${reserved.join(', ')}`;
  }
  const measured = JSON.stringify(variables);
  if (Buffer.byteLength(measured) > MAX_ENVIRONMENT_BYTES) {
    return 'Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. ' +
      `String measured: ${measured}`;
  }
  return undefined;
}
