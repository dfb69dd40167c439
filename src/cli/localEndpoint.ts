// The local AWS endpoint of a one-shot command (invoke, test, schedules run): the functions' SDK calls stay local, as under `start`.
import { startInvokeApi } from '../core/api/invokeApi';
import { localCodeRoots } from '../core/api/lambda/localCodePaths';
import { localServiceApis } from '../core/api/localServiceApis';
import { isWorkbenchError } from '../core/common/errors';
import { startLocalData, type LocalData } from '../core/data/localData';
import { readTemplateEventRules } from '../core/service/eventBridge/templateRules';
import type { LambdaService } from '../core/service/lambdaService';
import { applyTemplateTopics } from '../core/service/topics/templateTopics';
import type { ParsedArgs } from './argParser';
import { parameterOverrides, type FunctionSource } from './functionSource';

/**
 * Runs `body` while an endpoint on a free loopback port serves the Lambda API, the local SQS queues, SNS topics and
 * EventBridge buses (the template's and those `start`'s API made, from the state directory) and the template's DynamoDB
 * tables and S3 buckets, and the functions' AWS_ENDPOINT_URL_* variables name it. What they write there stays in the
 * state directory for the next `start` (a message sent, an event put, an item written). Tables a running `start` holds
 * are said in a warning and left out: the run goes on without them.
 */
export async function withLocalEndpoint<T>(
  service: LambdaService,
  source: FunctionSource,
  args: ParsedArgs,
  command: string,
  warn: (message: string) => void,
  body: () => Promise<T>,
): Promise<T> {
  const overrides = parameterOverrides(command, args.lists.get('parameter-overrides')) ?? {};
  const ruleWarnings: string[] = [];
  await service.eventBuses.useTemplate(readTemplateEventRules(source.registry.list(), ruleWarnings, { parameterOverrides: overrides }));
  ruleWarnings.forEach(warn);
  (await applyTemplateTopics(service.topics, source.registry.list(), overrides)).warnings.forEach(warn);
  let data: LocalData | undefined;
  try {
    data = await startLocalData(service, source.registry, { stateDir: source.stateDir, parameterOverrides: overrides, onWarning: warn });
  } catch (error) {
    if (!isWorkbenchError(error)) throw error;
    warn(`The template's tables and buckets are not served to this run: ${error.describe()}`);
  }
  try {
    const api = await startInvokeApi(service, {
      port: 0,
      localCodeRoots: localCodeRoots([source.projectRoot], source.stateDir),
      services: [...localServiceApis(async () => service), ...(data?.services ?? [])],
      ...(data?.fallback ? { fallback: data.fallback } : {}),
    });
    try {
      if (data) service.setServiceEndpoints(data.environment(api.url));
      service.useLocalEndpoint({ url: api.url, passThrough: [] });
      return await body();
    } finally {
      await api.close();
    }
  } finally {
    await data?.close();
  }
}
