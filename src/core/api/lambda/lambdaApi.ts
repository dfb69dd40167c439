// The Lambda API (REST-JSON, 2015-03-31) mounted on the AWS endpoint: routing and validation from AWS's service model, then the action.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ServiceError } from '../../service/invocation';
import { invalidRequestContent, parseRequestJson } from '../../service/validation';
import { sendApiError, sendJson } from '../apiResponses';
import type { AwsService, EndpointRequest } from '../awsEndpoint';
import { apiErrorFor } from '../invokeRoute';
import { readBody } from '../requestBody';
import { LAMBDA_ACTIONS } from './lambdaActions';
import type { LambdaApiContext } from './lambdaActionTypes';
import { LAMBDA_OPERATIONS, LAMBDA_SHAPES } from './lambdaModel.generated';
import { gatherInput, OperationRouter, validateInput } from './modelValidation';

/** Direct uploads are 50 MB zipped; base64 in JSON makes that about 67 MB. */
const BODY_LIMIT = 70 * 1024 * 1024;

const router = new OperationRouter(LAMBDA_OPERATIONS);

/** The actions this endpoint serves, for `start --help` and the README. */
export const SERVED_LAMBDA_ACTIONS: readonly string[] = Object.keys(LAMBDA_ACTIONS).sort();

export function lambdaApi(context: LambdaApiContext): AwsService {
  return {
    name: 'Lambda (REST-JSON 2015-03-31)',
    accepts: (request) => router.serves(request.path),
    handle: (request, res) => handle(context, request, res),
  };
}

async function handle(context: LambdaApiContext, request: EndpointRequest, res: ServerResponse): Promise<void> {
  const { req } = request;
  const match = router.match(request.method, request.path, request.query);
  const action = match ? LAMBDA_ACTIONS[match.name] : undefined;
  if (!match || !action) {
    req.resume();
    return sendApiError(res, {
      status: 404,
      code: 'UnknownOperationException',
      message: match
        ? `${match.name} is not emulated by Lambda Workbench. Served actions: ${SERVED_LAMBDA_ACTIONS.join(', ')}.`
        : `Unknown operation: ${request.method} ${request.path}.`,
    });
  }
  try {
    const inputShape = match.operation.input ? LAMBDA_SHAPES[match.operation.input] : undefined;
    // Operations whose body is a blob (Invoke's payload) read it themselves, with their own limits.
    const streamsBody = inputShape?.payload !== undefined && LAMBDA_SHAPES[inputShape.members?.[inputShape.payload]?.shape ?? '']?.type === 'blob';
    const body = streamsBody ? undefined : await readJsonBody(req);
    const input = match.operation.input
      ? gatherInput(LAMBDA_SHAPES, match.operation.input, { labels: match.labels, query: request.query, headers: req.headers, body })
      : {};
    // A blob body is the action's to read; it is there (possibly empty), so a required payload (InvokeAsync's InvokeArgs) is given.
    if (streamsBody && inputShape?.payload !== undefined) input[inputShape.payload] = Buffer.alloc(0);
    if (match.operation.input) validateInput(LAMBDA_SHAPES, match.operation.input, input);
    const store = await context.service.functionStore();
    res.once('finish', () => store.completeTransitions());
    const reply = await action({ input, context, store, req, res, query: request.query });
    if (reply) sendReply(res, reply.status ?? match.operation.status, reply.body);
  } catch (error) {
    if (res.headersSent) return void res.destroy();
    if (!req.readableEnded) req.resume();
    sendApiError(res, apiErrorFor(error));
  }
}

function sendReply(res: ServerResponse, status: number, body: unknown): void {
  if (body !== undefined) return sendJson(res, status, body);
  res.writeHead(status, { 'x-amzn-RequestId': randomUUID(), 'Content-Length': 0 });
  res.end();
}

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const { body, size } = await readBody(req, BODY_LIMIT);
  if (!body) throw new ServiceError('RequestTooLargeException', `Request must be smaller than ${BODY_LIMIT} bytes for this operation (got ${size}).`, { Type: 'User' });
  if (body.length === 0) return undefined;
  const parsed = parseRequestJson(body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidRequestContent('the body must be a JSON object.');
  return parsed as Record<string, unknown>;
}
