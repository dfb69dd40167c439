// Function URLs on 127.0.0.1: one port per function with a FunctionUrlConfig, serving payload format 2.0 like <id>.lambda-url.<region>.on.aws.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ServiceError, type InvokeRequest, type InvokeResult } from '../service/invocation';
import type { FunctionSpec } from '../template/functionSpec';
import { functionUrlEvent } from './functionUrlEvent';
import { errorMessage } from '../common/errors';
import { sendInternalServerError, StreamedResponse, writeBufferedResponse } from './functionUrlResponse';
import { answerUnparsableRequests, closeServer, listenLoopback, LOOPBACK_SERVER_OPTIONS, LoopbackHosts } from './httpServer';
import { readBody } from './requestBody';

export interface FunctionUrlService {
  invoke(request: InvokeRequest): Promise<InvokeResult>;
  readonly registry: { list(): FunctionSpec[] };
}

export interface FunctionUrlEndpoint {
  functionName: string;
  url: string;
  invokeMode: 'BUFFERED' | 'RESPONSE_STREAM';
}

export interface FunctionUrls {
  endpoints: FunctionUrlEndpoint[];
  close(): Promise<void>;
}

/** The methods a function URL passes to its function (those its CORS configuration can name); TRACE and others are refused. */
const URL_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** Function URLs take the same 6 MB request limit as synchronous invokes. */
const REQUEST_LIMIT = 6 * 1024 * 1024;

/** Starts one server per function URL, on consecutive ports from `basePort` (0: any free ports). */
export async function startFunctionUrls(
  service: FunctionUrlService,
  options: { basePort: number; region?: string; accountId?: string },
): Promise<FunctionUrls> {
  const servers: Server[] = [];
  const endpoints: FunctionUrlEndpoint[] = [];
  const withUrls = service.registry.list().filter((spec) => spec.functionUrl);
  try {
    for (const [index, spec] of withUrls.entries()) {
      const allowedHosts = new LoopbackHosts();
      const server = createServer(LOOPBACK_SERVER_OPTIONS, (req, res) => {
        const requestId = randomUUID();
        // DNS rebinding defence, as on the Invoke API: a page elsewhere reaches 127.0.0.1 only under a foreign Host name.
        if (!allowedHosts.accepts(req)) {
          req.resume();
          return sendMessage(res, requestId, 403, `Host header '${req.headers.host ?? ''}' is not allowed; use ${allowedHosts.describe()}.`);
        }
        if (!URL_METHODS.has(req.method ?? '')) {
          req.resume();
          return sendMessage(res, requestId, 405, `Method ${req.method ?? ''} is not allowed on a function URL; use ${[...URL_METHODS].join(', ')}.`);
        }
        // Nothing a request does may reach the process: a failure answers this request (or ends its connection) only.
        serve(service, spec, options, req, res, requestId).catch((error: unknown) => {
          if (res.headersSent || req.destroyed) return void res.destroy();
          sendMessage(res, requestId, 500, errorMessage(error));
        });
      });
      answerUnparsableRequests(server, (status, message) => ({
        status,
        headers: { 'content-type': 'application/json', 'x-amzn-RequestId': randomUUID() },
        body: JSON.stringify({ Message: message }),
      }));
      const port = await listenLoopback(server, options.basePort === 0 ? 0 : options.basePort + index);
      allowedHosts.allowPort(port);
      servers.push(server);
      endpoints.push({ functionName: spec.functionName, url: `http://127.0.0.1:${port}/`, invokeMode: spec.functionUrl?.invokeMode ?? 'BUFFERED' });
    }
  } catch (error) {
    await Promise.all(servers.map(closeServer));
    throw error;
  }
  return { endpoints, close: async () => void (await Promise.all(servers.map(closeServer))) };
}

async function serve(
  service: FunctionUrlService,
  spec: FunctionSpec,
  options: { region?: string; accountId?: string },
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  const { body, size } = await readBody(req, REQUEST_LIMIT);
  if (!body) return sendMessage(res, requestId, 413, `Request must be smaller than ${REQUEST_LIMIT} bytes (got ${size}).`);
  const event = functionUrlEvent(req, body, {
    urlId: urlId(spec.functionName),
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '123456789012',
    authType: spec.functionUrl?.authType ?? 'NONE',
    requestId,
  });
  const streaming = spec.functionUrl?.invokeMode === 'RESPONSE_STREAM';
  const stream = streaming ? new StreamedResponse(res, requestId) : undefined;
  try {
    const result = await service.invoke({
      functionName: spec.functionName,
      payload: Buffer.from(JSON.stringify(event)),
      requestId,
      ...(stream ? { onResponseChunk: (chunk: Buffer) => stream.write(chunk) } : {}),
    });
    if (result.functionError) {
      if (res.headersSent) return void res.destroy();
      return sendInternalServerError(res, requestId);
    }
    if (stream) {
      // A handler that is not streamified returns a value: AWS streams it, serialised as JSON, as the body (no mapping).
      if (!stream.receivedChunks) stream.write(result.payload);
      stream.end();
    } else {
      writeBufferedResponse(res, result.payload, requestId);
    }
  } catch (error) {
    if (res.headersSent) return void res.destroy();
    if (error instanceof ServiceError && error.code === 'TooManyRequestsException') return sendMessage(res, requestId, 429, 'Rate Exceeded.');
    sendMessage(res, requestId, 500, errorMessage(error));
  }
}

function sendMessage(res: ServerResponse, requestId: string, status: number, message: string): void {
  const body = Buffer.from(JSON.stringify({ Message: message }));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length, 'x-amzn-RequestId': requestId });
  res.end(body);
}

/** A stable 32-character id per function, like the url-id of a real function URL. */
function urlId(functionName: string): string {
  return createHash('sha256').update(functionName).digest('base64url').replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 32);
}
