// The local event sources endpoint on 127.0.0.1: send messages to queues, put records and item changes on streams, look inside.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isWorkbenchError, WorkbenchError } from '../../common/errors';
import { sendJson } from '../../api/apiResponses';
import { answerUnparsableRequests, closeServer, listenLoopback, LOOPBACK_SERVER_OPTIONS, LoopbackHosts } from '../../api/httpServer';
import { readBody } from '../../api/requestBody';
import type { DynamoDbChange } from './dynamoDbChange';
import type { EventSources } from './eventSources';
import type { MessageAttributeValue, SendMessageInput } from './localQueue';

export interface EventSourcesApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Large enough for a full 6 MB batch of messages or records in one request. */
const REQUEST_LIMIT = 8 * 1024 * 1024;

/**
 * Routes (JSON bodies; POST bodies take one item or a list of items):
 *   GET  /                         queues (with counts), streams, mappings
 *   GET  /queues/<name>/messages   the messages a queue holds, without receiving them
 *   POST /queues/<name>/messages   {"body", "messageAttributes"?, "messageGroupId"?, "messageDeduplicationId"?, "delaySeconds"?}
 *   POST /streams/<name>/records   {"data" (text or JSON) | "dataBase64", "partitionKey"}
 *   POST /streams/<name>/changes   {"eventName"?, "keys", "newImage"?, "oldImage"?} in DynamoDB JSON
 */
export async function startEventSourcesApi(sources: EventSources, options: { port: number }): Promise<EventSourcesApi> {
  const allowedHosts = new LoopbackHosts();
  const server = createServer(LOOPBACK_SERVER_OPTIONS, (req, res) => {
    // Only loopback host names: a web page cannot reach the endpoint through DNS rebinding.
    if (!allowedHosts.accepts(req)) {
      req.resume();
      return sendJson(res, 403, { errorType: 'Forbidden', message: allowedHosts.refusal(req) ?? 'Forbidden.' });
    }
    route(sources, req, res).catch((error: unknown) => sendError(res, error));
  });
  answerUnparsableRequests(server, (status, message) => ({
    status,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ errorType: status === 405 ? 'MethodNotAllowed' : 'BadRequest', message }),
  }));
  const port = await listenLoopback(server, options.port);
  allowedHosts.allowPort(port);
  return { url: `http://127.0.0.1:${port}`, port, close: () => closeServer(server) };
}

async function route(sources: EventSources, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/' && req.method === 'GET') return sendJson(res, 200, sources.overview());
  const match = /^\/(queues|streams)\/([^/]+)\/(messages|records|changes)$/.exec(path);
  if (!match) return sendJson(res, 404, { errorType: 'NotFound', message: `No route ${req.method} ${path}. Routes: GET /, GET|POST /queues/<name>/messages, POST /streams/<name>/records, POST /streams/<name>/changes.` });
  const [, collection, encodedName, action] = match;
  const name = decodeName(encodedName as string);
  if (collection === 'queues' && action === 'messages' && req.method === 'GET') {
    const queue = sources.queue(name);
    return sendJson(res, 200, { counts: queue.counts(), messages: queue.peek() });
  }
  if (req.method !== 'POST' || (collection === 'queues') !== (action === 'messages')) {
    return sendJson(res, 405, { errorType: 'MethodNotAllowed', message: `${req.method} is not supported on ${path}.` });
  }
  const items = await readItems(req);
  if (action === 'messages') {
    const queue = sources.queue(name);
    const inputs = items.map(messageInput);
    const sent = inputs.map((input) => queue.send(input));
    await sources.queuesSaved();
    return sendJson(res, 200, { messages: sent });
  }
  const stream = sources.stream(name);
  if (action === 'records') {
    const records = items.map((item) => ({ data: recordData(item), partitionKey: requiredString(item, 'partitionKey') }));
    const results = records.map((record) => stream.putRecord(record.data, record.partitionKey));
    await sources.recordsSaved();
    return sendJson(res, 200, { records: results });
  }
  const results = items.map((item) => stream.putChange(item as unknown as DynamoDbChange));
  await sources.recordsSaved();
  return sendJson(res, 200, { records: results });
}

/** Queue and stream names arrive percent-encoded; a malformed escape is the client's mistake, not a server failure. */
function decodeName(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new WorkbenchError('EVENT_INVALID', `'${encoded}' is not a valid percent-encoded queue or stream name.`);
  }
}

async function readItems(req: IncomingMessage): Promise<Record<string, unknown>[]> {
  const { body, size } = await readBody(req, REQUEST_LIMIT);
  if (!body) throw new WorkbenchError('EVENT_INVALID', `The request body is ${size} bytes; at most ${REQUEST_LIMIT} are accepted.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new WorkbenchError('EVENT_INVALID', `The request body is not JSON: ${(error as Error).message}`);
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  if (!items.length || !items.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))) {
    throw new WorkbenchError('EVENT_INVALID', 'The request body must be a JSON object or a non-empty list of objects.');
  }
  return items as Record<string, unknown>[];
}

function messageInput(item: Record<string, unknown>): SendMessageInput {
  if (item.body === undefined) throw new WorkbenchError('EVENT_INVALID', 'A message needs a "body" (text, or JSON that is sent as its text).');
  const input: SendMessageInput = { body: typeof item.body === 'string' ? item.body : JSON.stringify(item.body) };
  if (item.messageAttributes !== undefined) input.messageAttributes = messageAttributes(item.messageAttributes);
  if (item.messageGroupId !== undefined) input.messageGroupId = requiredString(item, 'messageGroupId');
  if (item.messageDeduplicationId !== undefined) input.messageDeduplicationId = requiredString(item, 'messageDeduplicationId');
  if (item.delaySeconds !== undefined) input.delaySeconds = Number(item.delaySeconds);
  return input;
}

/** Attributes as the SQS API writes them ({"DataType", "StringValue"}), as the event shows them, or a bare string. */
function messageAttributes(value: unknown): Record<string, MessageAttributeValue> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new WorkbenchError('EVENT_INVALID', 'messageAttributes must be an object.');
  const result: Record<string, MessageAttributeValue> = {};
  for (const [name, attribute] of Object.entries(value)) {
    if (typeof attribute === 'string') {
      result[name] = { dataType: 'String', stringValue: attribute };
      continue;
    }
    const a = (typeof attribute === 'object' && attribute !== null ? attribute : {}) as Record<string, unknown>;
    const dataType = a.dataType ?? a.DataType;
    const stringValue = a.stringValue ?? a.StringValue;
    const binaryValue = a.binaryValue ?? a.BinaryValue;
    if (typeof dataType !== 'string' || !/^(String|Number|Binary)(\..+)?$/.test(dataType) || (typeof stringValue !== 'string' && typeof binaryValue !== 'string')) {
      throw new WorkbenchError('EVENT_INVALID', `Message attribute '${name}' needs a DataType (String, Number or Binary) and a StringValue or BinaryValue (base64).`);
    }
    result[name] = { dataType, ...(typeof stringValue === 'string' ? { stringValue } : {}), ...(typeof binaryValue === 'string' ? { binaryValue } : {}) };
  }
  return result;
}

function recordData(item: Record<string, unknown>): Buffer {
  if (typeof item.dataBase64 === 'string') return Buffer.from(item.dataBase64, 'base64');
  if (item.data === undefined) throw new WorkbenchError('EVENT_INVALID', 'A record needs "data" (text, or JSON that is put as its text) or "dataBase64".');
  return Buffer.from(typeof item.data === 'string' ? item.data : JSON.stringify(item.data));
}

function requiredString(item: Record<string, unknown>, field: string): string {
  const value = item[field];
  if (typeof value !== 'string' || value === '') throw new WorkbenchError('EVENT_INVALID', `"${field}" must be a non-empty string.`);
  return value;
}

function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) return void res.destroy();
  if (isWorkbenchError(error, 'EVENT_SOURCE_NOT_FOUND')) return sendJson(res, 404, { errorType: error.code, message: error.describe() });
  if (isWorkbenchError(error)) return sendJson(res, 400, { errorType: error.code, message: error.describe() });
  sendJson(res, 500, { errorType: 'InternalError', message: (error as Error).message });
}
