// A JSON-1.0 / 1.1 / query protocol service on the AWS endpoint, driven by its generated model: protocol detection, input, validation, answers, errors.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage } from '../common/errors';
import type { AwsService, EndpointRequest } from './awsEndpoint';
import type { ProtocolModel } from './lambda/modelTypes';
import { validateInput } from './lambda/modelValidation';
import { decodeQueryInput, queryErrorXml, queryResponseXml } from './queryProtocol';
import { readBody } from './requestBody';

/** An error answered in the service's own terms: a modelled error shape name (QueueDoesNotExist) or a common code (InvalidParameterValue). */
export class ProtocolError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export interface ProtocolCall {
  /** The validated input, member names as in the model. */
  input: Record<string, unknown>;
  request: EndpointRequest;
  /** The endpoint's own base URL as the client addressed it (http://127.0.0.1:PORT). */
  origin: string;
}

export type ProtocolAction = (call: ProtocolCall) => Promise<Record<string, unknown> | undefined> | Record<string, unknown> | undefined;

/** The common errors of the JSON 1.1 services whose models leave them out (Kinesis, EventBridge). */
export const JSON_1_1_COMMON_ERRORS: ProtocolServiceOptions['commonErrors'] = {
  ValidationException: { status: 400 },
  UnknownOperationException: { status: 400 },
  SerializationException: { status: 400 },
  RequestTooLong: { status: 413 },
  InternalFailure: { status: 500 },
};

export interface ProtocolServiceOptions {
  name: string;
  model: ProtocolModel;
  /** The JSON protocol's X-Amz-Target prefix (AmazonSQS); absent for query-only services. */
  jsonTargetPrefix?: string;
  /** The service name in SigV4 credential scopes (sqs): tells query requests of services that share action names apart. */
  signingName: string;
  /** The JSON protocol's __type namespace (com.amazonaws.sqs); absent for services whose __type is the bare error name. */
  errorNamespace?: string;
  /** Query-compatible JSON services send the query code in x-amzn-query-error. */
  queryCompatible: boolean;
  /** Status and query code of errors the model does not list (InvalidParameterValue, MissingParameter, ...). */
  commonErrors: Record<string, { status: number; code?: string }>;
  /** The code of a value that breaks the model's constraints. */
  validationErrorCode: string;
  /** A required member left out is one of those validation errors (SNS, Kinesis), not SQS's MissingParameter. */
  missingMemberIsValidationError?: boolean;
  bodyLimit: number;
  actions: Record<string, ProtocolAction>;
  /** Input members a protocol carries outside the parameters (SQS's query protocol: the queue URL as the path). */
  implicitInput?: (request: EndpointRequest, origin: string) => Record<string, unknown>;
}

type Protocol = 'json' | 'query';

const FORM_TYPE = 'application/x-www-form-urlencoded';

export function protocolService(options: ProtocolServiceOptions): AwsService {
  return {
    name: options.name,
    accepts: (request) => protocolOf(options, request) !== undefined,
    handle: (request, res) => handle(options, request, res),
  };
}

function protocolOf(options: ProtocolServiceOptions, request: EndpointRequest): Protocol | undefined {
  const target = header(request.req, 'x-amz-target');
  if (target !== undefined) return options.jsonTargetPrefix && target.startsWith(`${options.jsonTargetPrefix}.`) ? 'json' : undefined;
  const action = request.query.get('Action');
  const form = (header(request.req, 'content-type') ?? '').toLowerCase().startsWith(FORM_TYPE);
  // Neither protocol's (a Lambda API request): told without reading the model, which esbuild.mjs defers to its first use.
  if (action === null && !form) return undefined;
  // JSON-only services (EventBridge, Kinesis) have no query protocol.
  if (options.model.metadata.protocol !== 'query') return undefined;
  const scope = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(header(request.req, 'authorization') ?? '')?.[1] ?? request.query.get('X-Amz-Credential')?.split('/')[3];
  if (scope !== undefined) return scope === options.signingName ? 'query' : undefined;
  // Unsigned: only an Action in the URL can say whose it is.
  return action !== null && own(options.model.operations, action) ? 'query' : undefined;
}

async function handle(options: ProtocolServiceOptions, request: EndpointRequest, res: ServerResponse): Promise<void> {
  const protocol = protocolOf(options, request) as Protocol;
  const requestId = randomUUID();
  const origin = `http://${header(request.req, 'host') ?? '127.0.0.1'}`;
  let operationName = '';
  try {
    const { body, size } = await readBody(request.req, options.bodyLimit);
    if (!body) throw new ProtocolError('RequestTooLong', `The request is ${size} bytes; at most ${options.bodyLimit} are accepted.`);
    let raw: Record<string, unknown>;
    if (protocol === 'json') {
      operationName = (header(request.req, 'x-amz-target') ?? '').slice((options.jsonTargetPrefix ?? '').length + 1);
      raw = parseJsonObject(body);
    } else {
      const params = new URLSearchParams(request.query);
      for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params.append(key, value);
      operationName = params.get('Action') ?? '';
      const operation = own(options.model.operations, operationName);
      raw = operation?.input ? decodeQueryInput(options.model.shapes, operation.input, params) : {};
    }
    const operation = own(options.model.operations, operationName);
    const action = operation ? own(options.actions, operationName) : undefined;
    if (!operation || !action) {
      const served = Object.keys(options.actions).sort().join(', ');
      throw new ProtocolError(protocol === 'json' ? 'UnknownOperationException' : 'InvalidAction',
        operation ? `${operationName} is not emulated by Lambda Workbench. Served actions: ${served}.` : `The action ${operationName || '(none)'} is not valid for this endpoint. Served actions: ${served}.`);
    }
    const input = { ...options.implicitInput?.(request, origin), ...raw };
    if (operation.input) validate(options, operation.input, input);
    const output = await action({ input, request, origin });
    if (protocol === 'json') return sendText(res, 200, jsonType(options), JSON.stringify(output ?? {}), requestId);
    sendText(res, 200, 'text/xml', queryResponseXml(options.model, operationName, output, requestId), requestId);
  } catch (error) {
    if (res.headersSent) return void res.destroy();
    if (!request.req.readableEnded) request.req.resume();
    sendError(options, protocol, error, requestId, res);
  }
}

/** Top-level required members first (MissingParameter, as SQS words it), then the model's constraints. */
function validate(options: ProtocolServiceOptions, inputShape: string, input: Record<string, unknown>): void {
  for (const required of options.missingMemberIsValidationError ? [] : options.model.shapes[inputShape]?.required ?? []) {
    if (input[required] === undefined || input[required] === null) throw new ProtocolError('MissingParameter', `The request must contain the parameter ${required}.`);
  }
  try {
    validateInput(options.model.shapes, inputShape, input);
  } catch (error) {
    throw new ProtocolError(options.validationErrorCode, errorMessage(error));
  }
}

function sendError(options: ProtocolServiceOptions, protocol: Protocol, error: unknown, requestId: string, res: ServerResponse): void {
  const known = error instanceof ProtocolError;
  const name = known ? error.code : 'InternalFailure';
  const message = known ? error.message : `Lambda Workbench failed to handle the request: ${errorMessage(error)}`;
  const modelled = own(options.model.errors, name);
  const common = own(options.commonErrors, name);
  const status = modelled?.status ?? common?.status ?? (known ? 400 : 500);
  const code = modelled?.code ?? common?.code ?? name;
  const sender = modelled?.sender ?? status < 500;
  if (protocol === 'json') {
    const extra: Record<string, string> = { 'x-amzn-ErrorType': name };
    if (options.queryCompatible) extra['x-amzn-query-error'] = `${code};${sender ? 'Sender' : 'Receiver'}`;
    const type = options.errorNamespace ? `${options.errorNamespace}#${name}` : name;
    return sendText(res, status, jsonType(options), JSON.stringify({ __type: type, message }), requestId, extra);
  }
  sendText(res, status, 'text/xml', queryErrorXml(options.model, { code, message, sender }, requestId), requestId);
}

function jsonType(options: ProtocolServiceOptions): string {
  return `application/x-amz-json-${options.model.metadata.jsonVersion ?? '1.0'}`;
}

function sendText(res: ServerResponse, status: number, type: string, text: string, requestId: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': requestId, ...extra });
  res.end(text);
}

function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new ProtocolError('SerializationException', `The request body is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ProtocolError('SerializationException', 'The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

/** A table's own entry: names from the wire (Action=__proto__, X-Amz-Target: AmazonSQS.constructor) never reach Object.prototype. */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
