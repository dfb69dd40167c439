// Starts the event source mappings of a workspace with their HTTP endpoint, for `lambda-workbench start` and other hosts.
import type { FunctionRegistry } from '../functionRegistry';
import { EventSources, type EventSourcesOptions } from './eventSources';
import { startEventSourcesApi, type EventSourcesApi } from './eventSourcesApi';
import type { EventSourceService } from './pollerContext';

export interface LocalEventSources {
  sources: EventSources;
  api: EventSourcesApi;
  /** Lines for the user: the endpoint, each queue and stream with the functions it feeds, and warnings. */
  summary: string[];
  close(): Promise<void>;
}

/** Runs even when the template has no queue or stream: mappings made through the Lambda API bring their own. */
export async function startLocalEventSources(
  service: EventSourceService,
  registry: FunctionRegistry,
  options: EventSourcesOptions & { port: number },
): Promise<LocalEventSources> {
  const sources = await EventSources.start(service, registry, options);
  const overview = sources.overview();
  let api: EventSourcesApi;
  try {
    api = await startEventSourcesApi(sources, { port: options.port });
  } catch (error) {
    await sources.dispose();
    throw error;
  }
  const fed = (arn: string) => {
    const names = overview.mappings.filter((m) => m.source === arn).map((m) => (m.enabled ? m.functionName : `${m.functionName} (disabled)`));
    return names.length ? ` -> ${names.join(', ')}` : '';
  };
  const summary = [
    `Event sources on ${api.url} (GET ${api.url}/ lists them):`,
    ...overview.queues.map((q) => `  queue ${q.name}${fed(q.arn)}  POST ${api.url}/queues/${encodeURIComponent(q.name)}/messages`),
    ...overview.streams.map((s) => `  ${s.kind} stream ${s.name}${fed(s.arn)}  POST ${api.url}/streams/${encodeURIComponent(s.name)}/${s.kind === 'kinesis' ? 'records' : 'changes'}`),
    ...sources.warnings.map((warning) => `  warning: ${warning}`),
  ];
  return {
    sources,
    api,
    summary,
    close: async () => {
      await api.close();
      await sources.dispose();
    },
  };
}
