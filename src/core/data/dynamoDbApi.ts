// DynamoDB on the AWS endpoint: requests with X-Amz-Target DynamoDB_20120810.* go to dynalite, writes to tables with streams through the stream capture.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { AwsService, EndpointRequest } from '../api/awsEndpoint';
import { readBody } from '../api/requestBody';
import { DYNALITE_OPERATIONS, DYNAMODB_TARGET_PREFIX, type DynamoDbEngine } from './dynamoDbEngine';
import type { StreamCapture } from './dynamoDbStreamCapture';

/** DynamoDB's request size limit. */
const REQUEST_LIMIT = 16 * 1024 * 1024;
/** The request headers dynalite reads. */
const FORWARDED_HEADERS = ['content-type', 'x-amz-target', 'authorization', 'x-amz-date', 'date', 'origin'];

export function dynamoDbApi(engine: DynamoDbEngine, capture: StreamCapture): AwsService {
  return {
    name: 'DynamoDB',
    accepts: (request) => request.method === 'POST' && targetOf(request).startsWith(`${DYNAMODB_TARGET_PREFIX}.`),
    handle: async (request: EndpointRequest, res: ServerResponse) => {
      const operation = targetOf(request).slice(DYNAMODB_TARGET_PREFIX.length + 1);
      const { body, size } = await readBody(request.req, REQUEST_LIMIT);
      if (!body) {
        return sendDynamoDbError(res, 413, 'RequestEntityTooLarge', `Request size ${size} exceeded ${REQUEST_LIMIT} bytes`);
      }
      if (!DYNALITE_OPERATIONS.includes(operation)) {
        return sendDynamoDbError(res, 400, 'UnknownOperationException',
          `${operation} is not served by the local DynamoDB (dynalite). Served: ${DYNALITE_OPERATIONS.join(', ')}.`);
      }
      const headers: Record<string, string> = {};
      for (const name of FORWARDED_HEADERS) {
        const value = request.req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const answer = await capture.around(operation, parseJson(body), () => engine.forward(headers, body));
      res.writeHead(answer.status, { ...answer.headers, 'Content-Length': answer.body.length });
      res.end(answer.body);
    },
  };
}

function targetOf(request: EndpointRequest): string {
  const target = request.req.headers['x-amz-target'];
  return typeof target === 'string' ? target : '';
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    // dynalite answers the SerializationException.
    return undefined;
  }
}

/** DynamoDB's JSON 1.0 error shape: {"__type": "com.amazonaws.dynamodb.v20120810#Name", "message"}. */
function sendDynamoDbError(res: ServerResponse, status: number, name: string, message: string): void {
  const body = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${name}`, message });
  res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': Buffer.byteLength(body), 'x-amzn-RequestId': randomUUID() });
  res.end(body);
}
