// The context object a handler receives, built from the /next headers and the environment; runs inside an instance.
import type { IncomingHttpHeaders } from 'node:http';
import { setCurrentRequestId, setCurrentTenantId } from './logPatch';

export interface Invocation {
  readonly requestId: string;
  readonly headers: IncomingHttpHeaders;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJsonHeader(value: string | undefined, name: string): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new Error(`Cannot parse ${name} as json: ${String(error)}`);
  }
}

/** Reads the request id and points log lines (and the tenant id of JSON logs) at this invocation. */
export function beginInvocation(headers: IncomingHttpHeaders): Invocation {
  const requestId = header(headers, 'lambda-runtime-aws-request-id');
  if (!requestId) throw new Error('invocation id is missing or invalid');
  setCurrentRequestId(requestId);
  setCurrentTenantId(header(headers, 'lambda-runtime-aws-tenant-id'));
  return { requestId, headers };
}

/**
 * Completes the callback part of the context (callbackWaitsForEmptyEventLoop, succeed, fail, done) with the
 * environment and header data, in the RIC's property order, and forwards the trace id to _X_AMZN_TRACE_ID.
 * Throws when the client context or identity header is not JSON.
 */
export function attachInvocationData<T extends object>(callbackContext: T, invocation: Invocation, env: NodeJS.ProcessEnv): T {
  const headers = invocation.headers;
  const traceId = header(headers, 'lambda-runtime-trace-id');
  if (traceId) env._X_AMZN_TRACE_ID = traceId;
  else delete env._X_AMZN_TRACE_ID;
  const deadline = Number(header(headers, 'lambda-runtime-deadline-ms'));
  return Object.assign(callbackContext, {
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: parseJsonHeader(header(headers, 'lambda-runtime-client-context'), 'ClientContext'),
    identity: parseJsonHeader(header(headers, 'lambda-runtime-cognito-identity'), 'CognitoIdentity'),
    invokedFunctionArn: header(headers, 'lambda-runtime-invoked-function-arn'),
    awsRequestId: invocation.requestId,
    tenantId: header(headers, 'lambda-runtime-aws-tenant-id'),
    getRemainingTimeInMillis: (): number => deadline - Date.now(),
  });
}
