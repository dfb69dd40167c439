// The AWS endpoint of the extension's own service: the Lambda API and the local services (SQS, ...) on a free loopback
// port of INTERNAL_PORTS, the templates' event source mappings polling their queues, and the functions' SDK calls pointed at it.
import type { InvokeApi } from '../../core/api/invokeApi';
import type { EventSources } from '../../core/service/eventSources/eventSources';
import type { FunctionRegistry } from '../../core/service/functionRegistry';
import type { LambdaService } from '../../core/service/lambdaService';

export interface ServiceEndpoint {
  /** http://127.0.0.1:PORT: what the functions' AWS_ENDPOINT_URL_<SERVICE> variables name. */
  readonly url: string;
  /** The mappings of the templates (undefined when they could not start: `problem` says why). */
  readonly eventSources: EventSources | undefined;
  /** Why the event source mappings do not run (a mapping Lambda would reject), for the log. */
  readonly problem: string | undefined;
  close(): Promise<void>;
}

export interface ServiceEndpointOptions {
  /** Services whose calls go to real AWS with the user's credentials (checked names of `start --pass-through`). */
  passThrough: string[];
  timeScale: number;
  parameterOverrides: Record<string, string>;
}

/** Starts the endpoint and the mappings, then points the service's future environments at the endpoint. */
export async function startServiceEndpoint(service: LambdaService, registry: FunctionRegistry, options: ServiceEndpointOptions): Promise<ServiceEndpoint> {
  const [{ startInvokeApi }, { localServiceApis }, { EventSources }] = await Promise.all([
    import('../../core/api/invokeApi.js'),
    import('../../core/api/localServiceApis.js'),
    import('../../core/service/eventSources/eventSources.js'),
  ]);
  let eventSources: EventSources | undefined;
  let problem: string | undefined;
  try {
    eventSources = await EventSources.start(service, registry, {
      queues: service.queues,
      state: (await service.functionStore()).state,
      timeScale: options.timeScale,
      parameterOverrides: options.parameterOverrides,
    });
  } catch (error) {
    // Invocations still work without the pollers; the template error is said in the log.
    problem = `Event source mappings are not running: ${(error as Error).message}`;
  }
  let api: InvokeApi;
  try {
    api = await startInvokeApi(service, {
      port: 'internal',
      host: '127.0.0.1',
      services: localServiceApis(async () => service),
      eventSources: () => eventSources,
    });
  } catch (error) {
    await eventSources?.dispose();
    throw error;
  }
  service.useLocalEndpoint({ url: api.url, passThrough: options.passThrough });
  return {
    url: api.url,
    eventSources,
    problem,
    close: async () => {
      await api.close();
      await eventSources?.dispose();
    },
  };
}
