// The AWS endpoint of the extension's own service: the Lambda API and the local services (SQS, SNS, Kinesis) on a free loopback
// port of INTERNAL_PORTS, the templates' event source mappings polling their queues, their topics, their schedules (and the
// EventBridge rules' ScheduleExpressions) firing on time, and the functions' SDK calls pointed at it.
import type { InvokeApi } from '../../core/api/invokeApi';
import type { LocalCodeRoot } from '../../core/api/lambda/localCodePaths';
import type { EventSources } from '../../core/service/eventSources/eventSources';
import type { FunctionRegistry } from '../../core/service/functionRegistry';
import type { LambdaService } from '../../core/service/lambdaService';
import type { LocalSchedules } from '../../core/service/schedules/localSchedules';

export interface ServiceEndpoint {
  /** http://127.0.0.1:PORT: what the functions' AWS_ENDPOINT_URL_<SERVICE> variables name. */
  readonly url: string;
  /** The mappings of the templates (undefined when they could not start: `problem` says why). */
  readonly eventSources: EventSources | undefined;
  /** What does not run as declared (a mapping Lambda would reject, a subscription that cannot be made), for the log. */
  readonly problems: string[];
  /** The templates' Schedule / ScheduleV2 events, firing on time (Run Now fires one at once). */
  readonly schedules: LocalSchedules;
  close(): Promise<void>;
}

export interface ServiceEndpointOptions {
  /** Services whose calls go to real AWS with the user's credentials (checked names of `start --pass-through`). */
  passThrough: string[];
  timeScale: number;
  parameterOverrides: Record<string, string>;
  /** A line for the log: each schedule's firing. */
  log(line: string): void;
  /** Where Lambda API callers' local code paths may be (the workspace folders' project roots and the state directory). */
  localCodeRoots: readonly LocalCodeRoot[];
}

/** Starts the endpoint and the mappings, then points the service's future environments at the endpoint. */
export async function startServiceEndpoint(service: LambdaService, registry: FunctionRegistry, options: ServiceEndpointOptions): Promise<ServiceEndpoint> {
  const [{ startInvokeApi }, { localServiceApis }, { EventSources }, { applyTemplateTopics }, { LocalSchedules, readSchedules }] = await Promise.all([
    import('../../core/api/invokeApi.js'),
    import('../../core/api/localServiceApis.js'),
    import('../../core/service/eventSources/eventSources.js'),
    import('../../core/service/topics/templateTopics.js'),
    import('../../core/service/schedules/localSchedules.js'),
  ]);
  let eventSources: EventSources | undefined;
  let problem: string | undefined;
  try {
    eventSources = await EventSources.start(service, registry, {
      queues: service.queues,
      topics: service.topics,
      eventBuses: service.eventBuses,
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
      localCodeRoots: options.localCodeRoots,
      services: localServiceApis(async () => service, { sources: () => eventSources, account: service.queues }),
      eventSources: () => eventSources,
    });
  } catch (error) {
    await eventSources?.dispose();
    throw error;
  }
  service.useLocalEndpoint({ url: api.url, passThrough: options.passThrough });
  // The templates' topics and subscriptions (SNS events included), as under `start`.
  const topicProblems = await applyTemplateTopics(service.topics, registry.list(), options.parameterOverrides).then(
    (applied) => applied.warnings,
    (error: unknown) => [(error as Error).message],
  );
  // Schedule / ScheduleV2 events fire on time, scaled by the timeScale setting, as under `start --time-scale`.
  const scheduleProblems: string[] = [];
  let definitions: ReturnType<typeof readSchedules> = [];
  try {
    definitions = readSchedules(registry.list());
  } catch (error) {
    scheduleProblems.push(`Schedules are not running: ${(error as Error).message}`);
  }
  const schedules = new LocalSchedules(definitions, service, {
    timeScale: options.timeScale,
    onFire: (schedule, result) => options.log(`Schedule ${schedule.name} fired -> ${schedule.functionName} ${result.requestId ? `(RequestId ${result.requestId})` : `failed: ${result.error}`}`),
  });
  schedules.start();
  const ruleSchedules = service.eventBuses.startSchedules();
  const ruleFirings = service.eventBuses.onDidFireSchedule(({ rule, targets }) =>
    options.log(`EventBridge rule ${rule.name} (${rule.scheduleExpression ?? ''}) fired -> ${targets} target(s)`));
  return {
    url: api.url,
    eventSources,
    problems: [...(problem ? [problem] : []), ...topicProblems, ...scheduleProblems],
    schedules,
    close: async () => {
      schedules.dispose();
      ruleSchedules.dispose();
      ruleFirings.dispose();
      await api.close();
      await eventSources?.dispose();
    },
  };
}
