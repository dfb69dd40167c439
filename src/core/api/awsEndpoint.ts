// The one local AWS endpoint on 127.0.0.1: tells the protocols of the services mounted on it apart and hands each request to its service.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { errorMessage } from '../common/errors';
import { sendApiError, unparsableRequestError } from './apiResponses';
import { acceptCleartextHttp2 } from './cleartextHttp2';
import { answerUnparsableRequests, closeServer, listenLoopback, LOOPBACK_SERVER_OPTIONS, LoopbackHosts } from './httpServer';
import { listenInternal } from './internalPorts';

/** One request as the dispatcher sees it. */
export interface EndpointRequest {
  req: IncomingMessage;
  method: string;
  /** The path without the query string, still URL-encoded. */
  path: string;
  query: URLSearchParams;
}

/**
 * A service mounted on the endpoint. `accepts` looks only at what tells the protocols apart (REST-JSON path prefixes such
 * as /2015-03-31/ for Lambda; X-Amz-Target such as AmazonSQS.SendMessage for JSON-1.0 services; Action=... for query
 * services) and must not read the body. The first service that accepts a request answers it.
 */
export interface AwsService {
  readonly name: string;
  accepts(request: EndpointRequest): boolean;
  handle(request: EndpointRequest, res: ServerResponse): Promise<void>;
}

export interface AwsEndpointOptions {
  /** 0 picks a free port; 'internal' one of INTERNAL_PORTS (an endpoint only the functions call: editors do not forward it). */
  port: number | 'internal';
  host?: '127.0.0.1';
}

export interface AwsEndpoint {
  url: string;
  port: number;
  /** Stops listening and ends every open connection, in-flight requests included. */
  close(): Promise<void>;
}

/** Longer than the keep-alive of SDK agents, so a reused socket is not closed under a request. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export async function startAwsEndpoint(services: readonly AwsService[], options: AwsEndpointOptions): Promise<AwsEndpoint> {
  const host = options.host ?? '127.0.0.1';
  const allowedHosts = new LoopbackHosts();
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (!allowedHosts.accepts(req)) return refuseHost(req, res, allowedHosts);
    dispatch(services, req, res).catch((error: unknown) => {
      // A fault of ours: the client gets ServiceException, the server keeps serving.
      if (!res.headersSent) sendApiError(res, { status: 500, code: 'ServiceException', message: errorMessage(error) });
      else res.destroy();
    });
  };
  const server = createServer(LOOPBACK_SERVER_OPTIONS, handle);
  // The JavaScript SDK's Kinesis client (and others with event streams) speak HTTP/2 to http:// endpoints.
  acceptCleartextHttp2(server, handle);
  answerUnparsableRequests(server, unparsableRequestError);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  const port = options.port === 'internal' ? await listenInternal(server, host) : await listenLoopback(server, options.port, host);
  allowedHosts.allowPort(port);
  allowedHosts.allowLocalhostSubdomains(port);
  return { url: `http://127.0.0.1:${port}`, port, close: () => closeServer(server) };
}

async function dispatch(services: readonly AwsService[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const request: EndpointRequest = {
    req,
    method: req.method ?? 'GET',
    path: queryAt < 0 ? url : url.slice(0, queryAt),
    query: new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1)),
  };
  const service = services.find((candidate) => candidate.accepts(request));
  if (service) return service.handle(request, res);
  req.resume();
  sendApiError(res, {
    status: 404,
    code: 'UnknownOperationException',
    message: `Unknown operation: ${request.method} ${request.path}. This local endpoint serves: ${services.map((s) => s.name).join(', ')}.`,
  });
}

/** DNS rebinding and cross-site defence: a foreign Host name, or a page's foreign Origin, is refused. */
function refuseHost(req: IncomingMessage, res: ServerResponse, allowed: LoopbackHosts): void {
  req.resume();
  sendApiError(res, { status: 403, code: 'AccessDeniedException', message: allowed.refusal(req) ?? 'Forbidden.' });
}
