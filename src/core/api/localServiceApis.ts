// The local AWS services every AWS endpoint serves beside the Lambda API (`start` and the extension mount the same list).
import type { EventSources } from '../service/eventSources/eventSources';
import type { LocalEventBuses } from '../service/eventBridge/localEventBuses';
import type { LocalQueues } from '../service/eventSources/localQueues';
import type { LocalTopics } from '../service/topics/localTopics';
import type { AwsService } from './awsEndpoint';
import { eventBridgeApi } from './eventbridge/eventBridgeApi';
import { kinesisApi, type KinesisAccount } from './kinesis/kinesisApi';
import { snsApi } from './sns/snsApi';
import { sqsApi } from './sqs/sqsApi';

/** What the local services serve: the workspace's queues, topics and buses, read at each request (the extension replaces its service). */
export interface LocalServiceState {
  readonly queues: LocalQueues;
  readonly topics: LocalTopics;
  readonly eventBuses: LocalEventBuses;
}

/** Kinesis puts records into the event sources' streams: served where the event source mappings run. */
export interface KinesisStreams {
  sources: () => EventSources | undefined;
  account: KinesisAccount;
}

/** SQS, SNS and EventBridge over the state of the service `current` gives, and Kinesis over `streams` when given. */
export function localServiceApis(current: () => Promise<LocalServiceState>, streams?: KinesisStreams): AwsService[] {
  return [
    sqsApi(async () => (await current()).queues),
    snsApi(async () => (await current()).topics),
    eventBridgeApi(async () => (await current()).eventBuses),
    ...(streams ? [kinesisApi(streams.sources, streams.account)] : []),
  ];
}
