// The local AWS services every AWS endpoint serves beside the Lambda API (`start` and the extension mount the same list).
import type { EventSources } from '../service/eventSources/eventSources';
import type { LocalQueues } from '../service/eventSources/localQueues';
import type { LocalTopics } from '../service/topics/localTopics';
import type { AwsService } from './awsEndpoint';
import { kinesisApi, type KinesisAccount } from './kinesis/kinesisApi';
import { snsApi } from './sns/snsApi';
import { sqsApi } from './sqs/sqsApi';

/** What the local services serve: the workspace's queues and topics, read at each request (the extension replaces its service). */
export interface LocalServiceState {
  readonly queues: LocalQueues;
  readonly topics: LocalTopics;
}

/** Kinesis puts records into the event sources' streams: served where the event source mappings run. */
export interface KinesisStreams {
  sources: () => EventSources | undefined;
  account: KinesisAccount;
}

/** SQS and SNS over the state of the service `current` gives, and Kinesis over `streams` when given. */
export function localServiceApis(current: () => Promise<LocalServiceState>, streams?: KinesisStreams): AwsService[] {
  return [
    sqsApi(async () => (await current()).queues),
    snsApi(async () => (await current()).topics),
    ...(streams ? [kinesisApi(streams.sources, streams.account)] : []),
  ];
}
