// The Invoke API server (AWS SDK / AWS CLI compatible) on 127.0.0.1: routes Lambda API requests to the service.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { FunctionSpec } from '../template/functionSpec';
import { sendApiError, sendJson, unparsableRequestError } from './apiResponses';
import { answerUnparsableRequests, closeServer, listenLoopback, LOOPBACK_SERVER_OPTIONS, LoopbackHosts } from './httpServer';
import { functionConfiguration, getFunctionResponse, type AccountContext } from './functionConfiguration';
import { functionArn, parseFunctionRef } from '../service/functionRef';
import { ServiceError } from '../service/invocation';
import { resolveVersion } from '../service/versions';
import { apiErrorFor, decodePathSegment, handleInvoke, type Invoker } from './invokeRoute';

/** What the Invoke API needs from the engine: invocations, and the functions it knows. */
export interface InvokeApiService extends Invoker {
  readonly registry: { list(): FunctionSpec[]; get(name: string): FunctionSpec | undefined };
}

export interface InvokeApiOptions {
  /** 0 picks a free port. */
  port: number;
  host?: '127.0.0.1';
  region?: string;
  accountId?: string;
}

export interface InvokeApi {
  url: string;
  port: number;
  /** Stops listening and ends every open connection, in-flight requests included. */
  close(): Promise<void>;
}

const API_PREFIX = '/2015-03-31/functions';
/** Longer than the keep-alive of SDK agents, so a reused socket is not closed under a request. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export async function startInvokeApi(service: InvokeApiService, options: InvokeApiOptions): Promise<InvokeApi> {
  const host = options.host ?? '127.0.0.1';
  const account: AccountContext = {
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '123456789012',
    loadedAt: new Date(),
  };
  const allowedHosts = new LoopbackHosts();
  const server = createServer(LOOPBACK_SERVER_OPTIONS, (req, res) => {
    if (!allowedHosts.accepts(req)) return refuseHost(req, res, allowedHosts);
    route(service, account, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendApiError(res, apiErrorFor(error));
      else res.destroy();
    });
  });
  answerUnparsableRequests(server, unparsableRequestError);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;

  const port = await listenLoopback(server, options.port, host);
  allowedHosts.allowPort(port);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => closeServer(server),
  };
}

async function route(service: InvokeApiService, account: AccountContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  const query = queryAt < 0 ? undefined : new URLSearchParams(url.slice(queryAt + 1));

  if (path.startsWith(`${API_PREFIX}/`)) {
    const rest = path.slice(API_PREFIX.length + 1);
    const slash = rest.indexOf('/');
    const name = slash < 0 ? rest : rest.slice(0, slash);
    const action = slash < 0 ? '' : rest.slice(slash + 1);
    if (req.method === 'POST' && action === 'invocations' && name !== '') {
      return handleInvoke(service, req, res, name, query);
    }
    if (req.method === 'GET' && name === '' && action === '') return listFunctions(service, account, res);
    if (req.method === 'GET' && name !== '' && (action === '' || action === 'configuration')) {
      return getFunction(service, account, res, name, query, action === 'configuration');
    }
  } else if (path === API_PREFIX && req.method === 'GET') {
    return listFunctions(service, account, res);
  }
  req.resume();
  sendApiError(res, {
    status: 404,
    code: 'UnknownOperationException',
    message: `Unknown operation: ${req.method} ${path}. This local Invoke API serves Invoke, GetFunction, GetFunctionConfiguration and ListFunctions.`,
  });
}

function listFunctions(service: InvokeApiService, account: AccountContext, res: ServerResponse): void {
  const functions = service.registry.list().map((spec) => functionConfiguration(spec, account));
  sendJson(res, 200, { Functions: functions });
}

function getFunction(
  service: InvokeApiService,
  account: AccountContext,
  res: ServerResponse,
  encodedName: string,
  query: URLSearchParams | undefined,
  configurationOnly: boolean,
): void {
  try {
    const ref = parseFunctionRef(decodePathSegment(encodedName), query?.get('Qualifier') ?? undefined);
    const spec = service.registry.get(ref.name);
    if (!spec) {
      throw new ServiceError('ResourceNotFoundException', `Function not found: ${functionArn(account.region, account.accountId, ref.name, ref.qualifier)}`);
    }
    const { version } = resolveVersion(spec, ref.qualifier, account.region, account.accountId);
    sendJson(res, 200, configurationOnly ? functionConfiguration(spec, account, version) : getFunctionResponse(spec, account, version));
  } catch (error) {
    sendApiError(res, apiErrorFor(error));
  }
}

/** DNS rebinding defence: a browser page on another origin can reach 127.0.0.1 only under a foreign Host name. */
function refuseHost(req: IncomingMessage, res: ServerResponse, allowed: LoopbackHosts): void {
  req.resume();
  sendApiError(res, {
    status: 403,
    code: 'AccessDeniedException',
    message: `Host header '${req.headers.host ?? ''}' is not allowed. The local Invoke API answers only requests addressed to ${allowed.describe()}.`,
  });
}
