// The CLI's local AWS endpoint: `start`'s, and that of a one-shot command (invoke, test, schedules run), so that the functions' SDK calls stay local.
import { startInvokeApi, type InvokeApi } from '../core/api/invokeApi';
import { localCodeRoots } from '../core/api/lambda/localCodePaths';
import { localServiceApis } from '../core/api/localServiceApis';
import { isWorkbenchError } from '../core/common/errors';
import { tableStreams } from '../core/data/dynamoDbStreamCapture';
import { startLocalData, type LocalData } from '../core/data/localData';
import { readTemplateEventRules } from '../core/service/eventBridge/templateRules';
import type { EventSources } from '../core/service/eventSources/eventSources';
import type { LambdaService } from '../core/service/lambdaService';
import { applyTemplateTopics } from '../core/service/topics/templateTopics';
import type { FunctionSource } from './functionSource';

export interface LocalEndpointOptions {
  /** 0: a free port. */
  port: number;
  /** The template's parameter values (--parameter-overrides). */
  parameterOverrides: Record<string, string>;
  /** Services whose calls go to AWS instead (`start --pass-through`). */
  passThrough: string[];
  /** `start`'s mappings: Kinesis and the mapping actions are served over them, and table writes feed their streams. */
  eventSources?: () => EventSources | undefined;
  /**
   * Tables and buckets that cannot be opened (most often: a running `start` holds them): fail (`start`), or leave them out
   * with a warning (one-shot commands).
   */
  heldTables: 'fail' | 'warn';
  warn(message: string): void;
}

export interface LocalEndpoint {
  readonly api: InvokeApi;
  /** The template's tables and buckets, when it declares any (and they could be opened). */
  readonly data: LocalData | undefined;
  close(): Promise<void>;
}

/** The template's EventBridge rules and buses, beside those PutRule made (restored from the state directory). */
export async function useTemplateRules(service: LambdaService, source: FunctionSource, parameterOverrides: Record<string, string>, warn: (message: string) => void): Promise<void> {
  const warnings: string[] = [];
  await service.eventBuses.useTemplate(readTemplateEventRules(source.registry.list(), warnings, { parameterOverrides }));
  warnings.forEach(warn);
}

/**
 * Serves the Lambda API, the local SQS queues, SNS topics and EventBridge buses (and Kinesis with `eventSources`) and the
 * template's DynamoDB tables and S3 buckets on one loopback port, and points the functions' AWS_ENDPOINT_URL_* there.
 */
export async function openLocalEndpoint(service: LambdaService, source: FunctionSource, options: LocalEndpointOptions): Promise<LocalEndpoint> {
  let data: LocalData | undefined;
  try {
    data = await startLocalData(service, source.registry, {
      stateDir: source.stateDir,
      parameterOverrides: options.parameterOverrides,
      ...(options.eventSources ? { streams: tableStreams(options.eventSources) } : {}),
      onWarning: options.warn,
    });
  } catch (error) {
    if (options.heldTables === 'fail' || !isWorkbenchError(error)) throw error;
    options.warn(`The template's tables and buckets are not served to this run: ${error.describe()}`);
  }
  const kinesis = options.eventSources ? { sources: options.eventSources, account: service.queues } : undefined;
  const api = await startInvokeApi(service, {
    port: options.port,
    localCodeRoots: localCodeRoots([source.projectRoot], source.stateDir),
    services: [...localServiceApis(async () => service, kinesis), ...(data?.services ?? [])],
    ...(data?.fallback ? { fallback: data.fallback } : {}),
    ...(options.eventSources ? { eventSources: options.eventSources } : {}),
  }).catch(async (error: unknown) => {
    await data?.close();
    throw error;
  });
  if (data) service.setServiceEndpoints(data.environment(api.url));
  // The functions' SDK calls come here (AWS_ENDPOINT_URL_SQS, ...), except for the services passed through.
  service.useLocalEndpoint({ url: api.url, passThrough: options.passThrough });
  return {
    api,
    data,
    close: async () => {
      await api.close();
      await data?.close();
    },
  };
}

/**
 * Runs `body` of a one-shot command with the template's rules and topics applied and a local endpoint on a free port.
 * What the functions write there stays in the state directory for the next `start` (a message sent, an event put, an
 * item written).
 */
export async function withLocalEndpoint<T>(
  service: LambdaService,
  source: FunctionSource,
  parameterOverrides: Record<string, string>,
  warn: (message: string) => void,
  body: () => Promise<T>,
): Promise<T> {
  await useTemplateRules(service, source, parameterOverrides, warn);
  (await applyTemplateTopics(service.topics, source.registry.list(), parameterOverrides)).warnings.forEach(warn);
  const endpoint = await openLocalEndpoint(service, source, { port: 0, parameterOverrides, passThrough: [], heldTables: 'warn', warn });
  try {
    return await body();
  } finally {
    await endpoint.close();
  }
}
