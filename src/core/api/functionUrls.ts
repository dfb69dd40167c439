// Function URLs on 127.0.0.1: one port per function with a FunctionUrlConfig, serving payload format 2.0 like <id>.lambda-url.<region>.on.aws.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ServiceError, type InvokeRequest, type InvokeResult } from '../service/invocation';
import type { FunctionSpec } from '../template/functionSpec';
import { functionUrlEvent } from './functionUrlEvent';
import { StreamedResponse, writeBufferedResponse } from './functionUrlResponse';
import { closeServer, listenLoopback, LoopbackHosts } from './httpServer';
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
      const server = createServer((req, res) => {
        // DNS rebinding defence, as on the Invoke API: a page elsewhere reaches 127.0.0.1 only under a foreign Host name.
        if (!allowedHosts.accepts(req)) {
          req.resume();
          return sendMessage(res, 403, `Host header '${req.headers.host ?? ''}' is not allowed; use ${allowedHosts.describe()}.`);
        }
        void serve(service, spec, options, req, res);
      });
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
): Promise<void> {
  const { body, size } = await readBody(req, REQUEST_LIMIT);
  if (!body) return sendMessage(res, 413, `Request must be smaller than ${REQUEST_LIMIT} bytes (got ${size}).`);
  const event = functionUrlEvent(req, body, {
    urlId: urlId(spec.functionName),
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '123456789012',
    authType: spec.functionUrl?.authType ?? 'NONE',
  });
  const streaming = spec.functionUrl?.invokeMode === 'RESPONSE_STREAM';
  const stream = streaming ? new StreamedResponse(res) : undefined;
  try {
    const result = await service.invoke({
      functionName: spec.functionName,
      payload: Buffer.from(JSON.stringify(event)),
      ...(stream ? { onResponseChunk: (chunk: Buffer) => stream.write(chunk) } : {}),
    });
    if (result.functionError) {
      if (res.headersSent) return void res.destroy();
      return sendMessage(res, 502, 'Internal Server Error');
    }
    if (stream) stream.end();
    else writeBufferedResponse(res, result.payload);
  } catch (error) {
    if (res.headersSent) return void res.destroy();
    if (error instanceof ServiceError && error.code === 'TooManyRequestsException') return sendMessage(res, 429, 'Rate Exceeded.');
    sendMessage(res, 500, (error as Error).message);
  }
}

function sendMessage(res: ServerResponse, status: number, message: string): void {
  const body = Buffer.from(JSON.stringify({ Message: message }));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}

/** A stable 32-character id per function, like the url-id of a real function URL. */
function urlId(functionName: string): string {
  return createHash('sha256').update(functionName).digest('base64url').replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 32);
}
