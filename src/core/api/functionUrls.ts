// Function URLs on 127.0.0.1: one port per URL config ($LATEST or alias), payload format 2.0 like <id>.lambda-url.<region>.on.aws, CORS and AWS_IAM.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { errorMessage } from '../common/errors';
import type { UrlRecord } from '../functions/functionRecords';
import type { FunctionStore, UrlHost } from '../functions/functionStore';
import { corsResponseHeaders, isPreflight, preflightResponse } from '../gateway/corsResponses';
import type { CorsConfig } from '../gateway/gatewayModel';
import { gatewayRequest } from '../gateway/gatewayRequest';
import { ServiceError, type InvokeRequest, type InvokeResult } from '../service/invocation';
import { verifySignature } from './functionUrlAuth';
import { functionUrlEvent } from './functionUrlEvent';
import { sendInternalServerError, StreamedResponse, writeBufferedResponse } from './functionUrlResponse';
import { answerUnparsableRequests, closeServer, listenLoopback, LOOPBACK_SERVER_OPTIONS, LoopbackHosts } from './httpServer';
import { readBody } from './requestBody';

export interface FunctionUrlService {
  invoke(request: InvokeRequest): Promise<InvokeResult>;
  /** The control plane whose URL configs are served (template FunctionUrlConfig and CreateFunctionUrlConfig alike). */
  functionStore(): Promise<FunctionStore>;
}

export interface FunctionUrlEndpoint {
  functionName: string;
  /** $LATEST or the alias the URL invokes. */
  qualifier: string;
  url: string;
  invokeMode: 'BUFFERED' | 'RESPONSE_STREAM';
}

export interface FunctionUrls {
  /** The URLs served now: URLs created or deleted through the Lambda API come and go at once. */
  readonly endpoints: FunctionUrlEndpoint[];
  close(): Promise<void>;
}

interface UrlOptions {
  basePort: number;
  region?: string;
  accountId?: string;
}

/** The methods a function URL passes to its function (those its CORS configuration can name); TRACE and others are refused. */
const URL_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** Function URLs take the same 6 MB request limit as synchronous invokes. */
const REQUEST_LIMIT = 6 * 1024 * 1024;

/**
 * Serves every URL config of the function store, one server per URL on consecutive ports from `basePort` (0: any free
 * ports), and follows the store: a URL made through the API is served before the API answers, a deleted one stops.
 */
export async function startFunctionUrls(service: FunctionUrlService, options: UrlOptions): Promise<FunctionUrls> {
  const store = await service.functionStore();
  const servers = new FunctionUrlServers(service, store, options);
  try {
    for (const record of store.list()) for (const qualifier of record.urls.keys()) await servers.open(record.name, qualifier);
  } catch (error) {
    await servers.close();
    throw error;
  }
  store.urlHost = servers;
  return servers;
}

interface ServedUrl {
  functionName: string;
  qualifier: string;
  server: Server;
  url: string;
}

class FunctionUrlServers implements UrlHost, FunctionUrls {
  private readonly served = new Map<string, Promise<ServedUrl>>();
  private opened = 0;
  private readonly ready: ServedUrl[] = [];

  constructor(
    private readonly service: FunctionUrlService,
    private readonly store: FunctionStore,
    private readonly options: UrlOptions,
  ) {}

  get endpoints(): FunctionUrlEndpoint[] {
    return this.ready.map(({ functionName, qualifier, url }) => ({
      functionName,
      qualifier,
      url,
      invokeMode: this.config(functionName, qualifier)?.invokeMode ?? 'BUFFERED',
    }));
  }

  async open(functionName: string, qualifier: string): Promise<string> {
    const key = `${functionName}:${qualifier}`;
    let serving = this.served.get(key);
    if (!serving) {
      serving = this.listen(functionName, qualifier);
      this.served.set(key, serving);
      serving.catch(() => this.served.delete(key));
    }
    return (await serving).url;
  }

  async close(functionName?: string, qualifier?: string): Promise<void> {
    if (functionName === undefined) {
      if (this.store.urlHost === this) this.store.urlHost = undefined;
      const all = [...this.served.values()];
      this.served.clear();
      this.ready.splice(0);
      await Promise.all(all.map(async (serving) => closeServer((await serving).server).catch(() => undefined)));
      return;
    }
    const key = `${functionName}:${qualifier}`;
    const serving = this.served.get(key);
    if (!serving) return;
    this.served.delete(key);
    const served = await serving;
    this.ready.splice(this.ready.indexOf(served), 1);
    await closeServer(served.server);
  }

  /** The URL's configuration now (UpdateFunctionUrlConfig applies to the next request). */
  private config(functionName: string, qualifier: string): UrlRecord | undefined {
    return this.store.get(functionName)?.urls.get(qualifier);
  }

  private async listen(functionName: string, qualifier: string): Promise<ServedUrl> {
    const allowedHosts = new LoopbackHosts('serve-pages');
    const server = createServer(LOOPBACK_SERVER_OPTIONS, (req, res) => {
      const requestId = randomUUID();
      // DNS rebinding defence, as on the Invoke API: a page elsewhere reaches 127.0.0.1 only under a foreign Host name.
      if (!allowedHosts.accepts(req)) {
        req.resume();
        return sendMessage(res, requestId, 403, allowedHosts.refusal(req) ?? 'Forbidden.');
      }
      if (!URL_METHODS.has(req.method ?? '')) {
        req.resume();
        return sendMessage(res, requestId, 405, `Method ${req.method ?? ''} is not allowed on a function URL; use ${[...URL_METHODS].join(', ')}.`);
      }
      const config = this.config(functionName, qualifier);
      if (!config) {
        req.resume();
        return sendMessage(res, requestId, 403, 'Forbidden');
      }
      // Nothing a request does may reach the process: a failure answers this request (or ends its connection) only.
      serve(this.service, { functionName, qualifier, config }, this.options, req, res, requestId).catch((error: unknown) => {
        if (res.headersSent || req.destroyed) return void res.destroy();
        sendMessage(res, requestId, 500, errorMessage(error));
      });
    });
    answerUnparsableRequests(server, (status, message) => ({
      status,
      headers: { 'content-type': 'application/json', 'x-amzn-RequestId': randomUUID() },
      body: JSON.stringify({ Message: message }),
    }));
    const port = await listenLoopback(server, this.options.basePort === 0 ? 0 : this.options.basePort + this.opened++);
    allowedHosts.allowPort(port);
    const served = { functionName, qualifier, server, url: `http://127.0.0.1:${port}/` };
    this.ready.push(served);
    return served;
  }
}

interface UrlTarget {
  functionName: string;
  qualifier: string;
  config: UrlRecord;
}

async function serve(
  service: FunctionUrlService,
  target: UrlTarget,
  options: { region?: string; accountId?: string },
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  const { functionName, qualifier, config } = target;
  const { body, size } = await readBody(req, REQUEST_LIMIT);
  if (!body) return sendMessage(res, requestId, 413, `Request must be smaller than ${REQUEST_LIMIT} bytes (got ${size}).`);
  const cors = config.cors ? urlCors(config.cors) : undefined;
  const asGateway = cors ? gatewayRequest(req, body) : undefined;
  // Browsers send preflights unsigned: the URL answers them itself, without the function and before IAM.
  if (cors && asGateway && isPreflight(asGateway)) {
    const preflight = preflightResponse(cors, asGateway);
    res.writeHead(preflight.status, { ...preflight.headers, 'x-amzn-RequestId': requestId });
    return void res.end();
  }
  let accessKey: string | undefined;
  if (config.authType === 'AWS_IAM') {
    accessKey = (await verifySignature(req, body))?.accessKeyId;
    if (!accessKey) return sendMessage(res, requestId, 403, 'Forbidden');
  }
  const urlHeaders = cors && asGateway ? corsResponseHeaders(cors, asGateway) : {};
  const event = functionUrlEvent(req, body, {
    urlId: urlId(qualifier === '$LATEST' ? functionName : `${functionName}:${qualifier}`),
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '123456789012',
    authType: config.authType,
    ...(accessKey ? { accessKey } : {}),
    requestId,
  });
  const streaming = config.invokeMode === 'RESPONSE_STREAM';
  const stream = streaming ? new StreamedResponse(res, requestId, urlHeaders) : undefined;
  try {
    const result = await service.invoke({
      functionName,
      ...(qualifier === '$LATEST' ? {} : { qualifier }),
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
      writeBufferedResponse(res, result.payload, requestId, urlHeaders);
    }
  } catch (error) {
    if (res.headersSent) return void res.destroy();
    if (error instanceof ServiceError && error.code === 'TooManyRequestsException') return sendMessage(res, requestId, 429, 'Rate Exceeded.');
    sendMessage(res, requestId, 500, errorMessage(error));
  }
}

/** A URL's Cors (the API's and CloudFormation's keys) as the CORS answers of the gateway take it. */
function urlCors(cors: Record<string, unknown>): CorsConfig {
  const list = (key: string): string[] => (Array.isArray(cors[key]) ? (cors[key] as unknown[]).map(String) : []);
  const maxAge = Number(cors.MaxAge);
  return {
    allowOrigins: list('AllowOrigins'),
    allowMethods: list('AllowMethods').map((method) => method.toUpperCase()),
    allowHeaders: list('AllowHeaders').map((header) => header.toLowerCase()),
    exposeHeaders: list('ExposeHeaders').map((header) => header.toLowerCase()),
    allowCredentials: cors.AllowCredentials === true || cors.AllowCredentials === 'true',
    ...(cors.MaxAge !== undefined && Number.isFinite(maxAge) ? { maxAgeSeconds: maxAge } : {}),
  };
}

function sendMessage(res: ServerResponse, requestId: string, status: number, message: string): void {
  const body = Buffer.from(JSON.stringify({ Message: message }));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length, 'x-amzn-RequestId': requestId });
  res.end(body);
}

/** A stable 32-character id per URL (function, or function:alias), like the url-id of a real function URL. */
export function urlId(functionAndQualifier: string): string {
  return createHash('sha256').update(functionAndQualifier).digest('base64url').replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 32);
}
