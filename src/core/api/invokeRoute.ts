// POST /2015-03-31/functions/{FunctionName}/invocations: validates the request as Lambda does and answers with the service's result.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage, isWorkbenchError } from '../common/errors';
import { ServiceError, type InvocationType, type InvokeRequest, type InvokeResult } from '../service/invocation';
import { functionRefViolations } from '../service/functionRef';
import { ASYNC_PAYLOAD_LIMIT, requestTooLarge, SYNC_PAYLOAD_LIMIT } from '../service/lambdaService';
import { enumViolations, validationException } from '../service/validation';
import { sendApiError, type ApiError } from './apiResponses';
import { readBody } from './requestBody';

/** What the Invoke route needs from the engine. */
export interface Invoker {
  invoke(request: InvokeRequest): Promise<InvokeResult>;
}

const INVOCATION_TYPES = ['Event', 'RequestResponse', 'DryRun'];
const LOG_TYPES = ['Tail', 'None'];

export async function handleInvoke(
  invoker: Invoker,
  req: IncomingMessage,
  res: ServerResponse,
  encodedName: string,
  query: URLSearchParams | undefined,
): Promise<void> {
  const invocationType = header(req, 'x-amz-invocation-type') ?? 'RequestResponse';
  const logType = header(req, 'x-amz-log-type') ?? 'None';
  const limit = invocationType === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
  const { body } = await readBody(req, limit);

  const functionName = decodePathSegment(encodedName);
  const qualifier = query?.get('Qualifier');
  // Every member is checked before anything runs, and one ValidationException names all that failed, as AWS does.
  const violations = [
    ...functionRefViolations(functionName, qualifier ?? undefined),
    ...enumViolations(invocationType, 'invocationType', INVOCATION_TYPES),
    ...enumViolations(logType, 'logType', LOG_TYPES),
  ];
  if (violations.length) return sendApiError(res, apiErrorFor(validationException(violations)));
  // The service checks size and JSON too; an oversized body is refused here so it is never held in memory.
  if (body === undefined) return sendApiError(res, apiErrorFor(requestTooLarge(limit)));
  // The service resolves the name (name, name:qualifier, ARN), checks the qualifier and validates the JSON.
  const request: InvokeRequest = {
    functionName,
    payload: body,
    invocationType: invocationType as InvocationType,
    logType: logType as 'None' | 'Tail',
  };
  if (qualifier != null) request.qualifier = qualifier;
  const clientContext = header(req, 'x-amz-client-context');
  if (clientContext !== undefined) request.clientContext = clientContext;
  const traceId = header(req, 'x-amzn-trace-id');
  if (traceId !== undefined) request.traceId = traceId;
  const tenantId = header(req, 'x-amz-tenant-id');
  if (tenantId !== undefined) request.tenantId = tenantId;

  let result: InvokeResult;
  try {
    result = await invoker.invoke(request);
  } catch (error) {
    return sendApiError(res, apiErrorFor(error));
  }
  writeResult(res, result);
}

function writeResult(res: ServerResponse, result: InvokeResult): void {
  const headers: Record<string, string | number> = {
    'x-amzn-RequestId': result.requestId,
    'Content-Length': result.payload.length,
  };
  if (result.statusCode === 200) {
    headers['Content-Type'] = result.contentType ?? 'application/json';
    headers['X-Amz-Executed-Version'] = result.executedVersion;
    if (result.functionError !== undefined) headers['X-Amz-Function-Error'] = result.functionError;
    if (result.logResult !== undefined) headers['X-Amz-Log-Result'] = result.logResult;
  }
  res.writeHead(result.statusCode, headers);
  res.end(result.payload);
}

/** The engine's errors as the Lambda API reports them. */
export function apiErrorFor(error: unknown): ApiError {
  if (error instanceof ServiceError) {
    return { status: error.httpStatus, code: error.code, message: error.message, extra: error.extra };
  }
  if (isWorkbenchError(error, 'FUNCTION_NOT_FOUND')) {
    return { status: 404, code: 'ResourceNotFoundException', message: error.describe() };
  }
  return { status: 500, code: 'ServiceException', message: errorMessage(error) };
}

/** Path segments arrive URL-encoded (ARNs carry ':' as %3A). */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
