// The table of HTTP servers the fuzz suite attacks: one entry per server, each with its routes, a probe and its error shape.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startFunctionUrls } from '../../src/core/api/functionUrls';
import { startInvokeApi } from '../../src/core/api/invokeApi';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import { RuntimeApiServer } from '../../src/core/runtimeApi/runtimeApiServer';
import { EventSources } from '../../src/core/service/eventSources/eventSources';
import { startEventSourcesApi } from '../../src/core/service/eventSources/eventSourcesApi';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import { LambdaService } from '../../src/core/service/lambdaService';
import type { RawAnswer } from './rawHttp';

export interface FuzzRoute {
  /** A path the server routes, with `{id}` where an identifier goes (fuzzed). */
  path: string;
  /** Methods the route serves; every other method must get a 4xx. */
  methods: string[];
  /** The route reads a JSON body. */
  json?: boolean;
  /** Largest body the route accepts (a bigger one must get a 4xx). */
  bodyLimit?: number;
}

export interface RunningTarget {
  port: number;
  routes: FuzzRoute[];
  /** A request line and body the server answers with a 2xx: proves it still serves. */
  probe: { method: string; path: string; body?: string };
  /** Whether an error answer has the form this server's clients expect (AWS's, or the RIE's for the Runtime API). */
  isErrorShape(answer: RawAnswer): boolean;
  close(): Promise<void>;
}

export interface FuzzTarget {
  name: string;
  start(shared: SharedEngine): Promise<RunningTarget>;
}

/** One engine for every target: a service over the fuzz fixture and its event sources. */
export class SharedEngine {
  readonly stateDir = mkdtempSync(path.join(tmpdir(), 'lwb-fuzz-'));
  readonly registry: FunctionRegistry;
  readonly service: LambdaService;
  private sources?: EventSources;

  private constructor(registry: FunctionRegistry) {
    this.registry = registry;
    this.service = new LambdaService(registry, { backend: new ProcessBackend(), stateDir: this.stateDir });
  }

  static async start(): Promise<SharedEngine> {
    return new SharedEngine(await FunctionRegistry.fromTemplates([path.resolve(__dirname, '../../../test/fixtures/fuzz/template.yaml')]));
  }

  async eventSources(): Promise<EventSources> {
    this.sources ??= await EventSources.start(this.service, this.registry, { timeScale: 0.01 });
    return this.sources;
  }

  async dispose(): Promise<void> {
    await this.sources?.dispose();
    await this.service.dispose();
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}

const json = (answer: RawAnswer): Record<string, unknown> | undefined => {
  try {
    const value = JSON.parse(answer.body.toString('utf8'));
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
};

/** AWS JSON errors: x-amzn-ErrorType names the exception, the body carries Type and message. */
const awsError = (answer: RawAnswer) => {
  if (!answer.headers['x-amzn-errortype'] || !answer.headers['x-amzn-requestid']) return false;
  const body = json(answer);
  return answer.body.length === 0 || (typeof body?.message === 'string' && (body.Type === 'User' || body.Type === 'Service'));
};

const SIX_MB = 6 * 1024 * 1024;

/**
 * Every HTTP server we run. A server added to the product (the management API, API Gateway, local SQS/SNS) is one more
 * entry here: how to start it on the shared engine, its routes, a probe, and its error shape.
 */
export const FUZZ_TARGETS: FuzzTarget[] = [
  {
    name: 'Invoke API',
    async start(shared) {
      const api = await startInvokeApi(shared.service, { port: 0 });
      return {
        port: api.port,
        routes: [
          { path: '/2015-03-31/functions/{id}/invocations', methods: ['POST'], json: true, bodyLimit: SIX_MB },
          { path: '/2015-03-31/functions/FuzzFunction/invocations', methods: ['POST'], json: true, bodyLimit: SIX_MB },
          { path: '/2015-03-31/functions/{id}', methods: ['GET'] },
          { path: '/2015-03-31/functions/{id}/configuration', methods: ['GET'] },
          { path: '/2015-03-31/functions', methods: ['GET'] },
        ],
        probe: { method: 'POST', path: '/2015-03-31/functions/FuzzFunction/invocations', body: '{"probe":true}' },
        isErrorShape: awsError,
        close: () => api.close(),
      };
    },
  },
  {
    name: 'function URL',
    async start(shared) {
      const urls = await startFunctionUrls(shared.service, { basePort: 0 });
      const port = Number(new URL(urls.endpoints[0]?.url ?? '').port);
      return {
        port,
        // Every path and method reaches the function; only what it cannot take (too large, unparsable) is refused.
        routes: [{ path: '/{id}', methods: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'], bodyLimit: SIX_MB }],
        probe: { method: 'GET', path: '/probe?mode=string' },
        isErrorShape: (answer) => {
          if (!answer.headers['x-amzn-requestid']) return false;
          if (answer.status === 502) return answer.body.toString() === 'Internal Server Error';
          return answer.body.length === 0 || typeof json(answer)?.Message === 'string';
        },
        close: () => urls.close(),
      };
    },
  },
  {
    name: 'Runtime API',
    async start() {
      const server = await RuntimeApiServer.start();
      return {
        port: server.port,
        // GET /next is left out: it long-polls until an invocation comes, by design.
        routes: [
          { path: '/2018-06-01/runtime/invocation/{id}/response', methods: ['POST'], bodyLimit: SIX_MB + 100 },
          { path: '/2018-06-01/runtime/invocation/{id}/error', methods: ['POST'] },
          { path: '/2018-06-01/runtime/init/error', methods: ['POST'] },
          { path: '/2018-06-01/ping', methods: ['GET'] },
        ],
        probe: { method: 'GET', path: '/2018-06-01/ping' },
        // As the RIE answers: JSON {errorMessage, errorType} for API errors, Go's plain-text lines for routing and parsing.
        isErrorShape: (answer) => {
          const body = json(answer);
          if (typeof body?.errorType === 'string' && typeof body.errorMessage === 'string') return true;
          const text = answer.body.toString();
          return /^text\/plain/.test(answer.headers['content-type'] ?? '') && (text === '' || /^\d{3} /.test(text));
        },
        close: () => server.close(),
      };
    },
  },
  {
    name: 'event sources endpoint',
    async start(shared) {
      const api = await startEventSourcesApi(await shared.eventSources(), { port: 0 });
      return {
        port: api.port,
        routes: [
          { path: '/queues/{id}/messages', methods: ['GET', 'POST'], json: true, bodyLimit: 8 * 1024 * 1024 },
          { path: '/queues/FuzzQueue/messages', methods: ['GET', 'POST'], json: true, bodyLimit: 8 * 1024 * 1024 },
          { path: '/streams/{id}/records', methods: ['POST'], json: true },
          { path: '/streams/{id}/changes', methods: ['POST'], json: true },
          { path: '/', methods: ['GET'] },
        ],
        probe: { method: 'GET', path: '/' },
        isErrorShape: (answer) => {
          const body = json(answer);
          return answer.body.length === 0 || (typeof body?.errorType === 'string' && typeof body.message === 'string');
        },
        close: () => api.close(),
      };
    },
  },
];
